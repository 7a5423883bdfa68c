package database

import (
	"context"
	"fmt"
	"sync"
)

// WithLock runs fn while no other caller, in this process or another
// replica, holds the lock (kind, id), waiting for it until ctx ends: on
// SQLite, whose one process is the only one, a mutex per key; on
// PostgreSQL a session advisory lock, whose two keys are kind and id, a
// space apart from the jobs' single-key leader lock.
func (d *DB) WithLock(ctx context.Context, kind int32, id uint, fn func() error) error {
	if !d.Postgres {
		unlock, err := d.locks.lock(ctx, lockKey{kind, id})
		if err != nil {
			return err
		}
		defer unlock()
		return fn()
	}
	// Ids past 2^31 share keys with smaller ones, which only serialises
	// more.
	return d.underAdvisoryLock(ctx, kind, int32(id), fn)
}

// underAdvisoryLock runs fn holding the PostgreSQL session advisory lock
// (k1, k2), waiting for it, on a connection of its own: a process that
// dies drops its connection, and with it the lock. The lock is given back
// on the same connection, even when ctx has ended.
func (d *DB) underAdvisoryLock(ctx context.Context, k1, k2 int32, fn func() error) (err error) {
	name := fmt.Sprintf("lock %d/%d", k1, k2)
	sqlDB, err := d.W.DB()
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
	kind int32
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
