package models

import (
	"context"
	"fmt"
	"sync"
)

// Locks. amends has two kinds, for two needs:
//
//   - Scheduled jobs run on one replica at a time: the scheduler's leader
//     (package jobs, a session advisory lock held by the elected replica).
//     Jobs take no lock of their own; each is idempotent and safe to
//     overlap with itself for the moment a new leader takes over.
//   - Work outside the database that must not run twice at once for one
//     thing, whichever replica a request reached (pushing an item's status
//     to its GitHub issue), runs under WithLock below.
//
// LockKind names what WithLock serialises, so that locks on different
// things with the same id do not contend. On PostgreSQL the kind and the
// id are the two keys of an advisory lock, a space apart from the
// single-key leader lock.
type LockKind int32

const (
	// LockGitHubPush is held while an item's status is pushed to its issue.
	LockGitHubPush LockKind = 1
)

// WithLock runs fn while no other caller, in this process or another
// replica, holds the lock of kind on id, waiting for it until ctx ends. It
// is for work outside the database that must not run twice at once for
// one thing, such as a call to GitHub decided on what the database said.
func (s *Store) WithLock(ctx context.Context, kind LockKind, id uint, fn func() error) error {
	if !s.db.Postgres {
		unlock, err := s.db.locks.lock(ctx, lockKey{kind, id})
		if err != nil {
			return err
		}
		defer unlock()
		return fn()
	}
	// Ids past 2^31 share keys with smaller ones, which only serialises
	// more.
	return s.underAdvisoryLock(ctx, int32(kind), int32(id), fn)
}

// underAdvisoryLock runs fn holding the PostgreSQL session advisory lock
// (k1, k2), waiting for it, on a connection of its own: a process that
// dies drops its connection, and with it the lock. The lock is given back
// on the same connection, even when ctx has ended.
func (s *Store) underAdvisoryLock(ctx context.Context, k1, k2 int32, fn func() error) (err error) {
	name := fmt.Sprintf("lock %d/%d", k1, k2)
	sqlDB, err := s.db.W.DB()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1, $2)", k1, k2); err != nil {
		return fmt.Errorf("take %s: %w", name, err)
	}
	defer func() {
		if _, uerr := conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1, $2)", k1, k2); uerr != nil && err == nil {
			err = fmt.Errorf("release %s: %w", name, uerr)
		}
	}()
	return fn()
}

type lockKey struct {
	kind LockKind
	id   uint
}

// keyedLocks is a mutex per key, made when first wanted and dropped when
// last released, whose wait ends with a context.
type keyedLocks struct {
	mu   sync.Mutex
	held map[lockKey]chan struct{} // closed when released
}

func (k *keyedLocks) lock(ctx context.Context, key lockKey) (unlock func(), err error) {
	for {
		k.mu.Lock()
		released, busy := k.held[key]
		if !busy {
			if k.held == nil {
				k.held = map[lockKey]chan struct{}{}
			}
			mine := make(chan struct{})
			k.held[key] = mine
			k.mu.Unlock()
			return func() {
				k.mu.Lock()
				delete(k.held, key)
				k.mu.Unlock()
				close(mine)
			}, nil
		}
		k.mu.Unlock()
		select {
		case <-released:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
