// Package jobs holds the one scheduler that serve runs its periodic jobs on
// (GitHub sync, reminders, subscriptions, monthly drafts) and, on
// PostgreSQL, the leader election that makes them run on one replica at a
// time.
package jobs

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// LeaderLockKey is the PostgreSQL advisory lock key the leader holds. It
// differs from the migration lock and from the two-key locks of
// models.Store.WithLock. The leader is the one way jobs are kept to one
// replica: they take no locks of their own (see models/database/locks.go).
const LeaderLockKey int64 = 0x616d656e64734c // "amendsL"

// ErrNotLeader is what IsLeader returns on a replica that is not the leader;
// gocron then skips the job there.
var ErrNotLeader = errors.New("another replica is the leader")

// checkTimeout bounds each query of an election, so a connection that hangs
// is taken for a dead one instead of blocking the scheduler.
const checkTimeout = 5 * time.Second

// Elector is a gocron.Elector backed by a PostgreSQL session advisory lock
// held on one dedicated connection. The lock lives as long as the
// connection: when the leader dies, PostgreSQL ends its session and frees
// the lock, and the next election on another replica takes it.
type Elector struct {
	db  *sql.DB
	key int64
	log *slog.Logger

	mu   sync.Mutex
	conn *sql.Conn // non-nil while this replica leads
}

// NewElector returns an elector that campaigns for key on db's connections.
func NewElector(db *sql.DB, key int64, log *slog.Logger) *Elector {
	return &Elector{db: db, key: key, log: log}
}

// IsLeader returns nil when this replica holds the lock. A leader first
// checks that its connection still holds the lock, and steps down if not
// (a broken connection means another replica may lead already); a follower
// tries to take the lock.
func (e *Elector) IsLeader(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.conn != nil {
		err := e.holds(ctx)
		if err == nil {
			return nil
		}
		e.log.Warn("stepping down as scheduler leader: its database connection no longer holds the lock", "err", err)
		e.dropLocked()
	}
	return e.acquireLocked(ctx)
}

// Leading reports whether this replica led at its last election.
func (e *Elector) Leading() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.conn != nil
}

// Campaign holds an election every interval until ctx ends, so leadership
// moves to a live replica soon after the leader dies even when no job is
// due, and a leader whose connection broke steps down.
func (e *Elector) Campaign(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := e.IsLeader(ctx); err != nil && !errors.Is(err, ErrNotLeader) && ctx.Err() == nil {
			e.log.Warn("scheduler leader election", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Resign gives up leadership: it releases the lock, so another replica can
// take it at its next election, and closes the connection. Closing alone
// would free the lock only once the server notices, a moment later.
func (e *Elector) Resign() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.conn == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	if _, err := e.conn.ExecContext(ctx, "SELECT pg_advisory_unlock($1)", e.key); err != nil {
		e.log.Warn("release the scheduler leader lock; closing its connection frees it", "err", err)
	}
	e.dropLocked()
}

func (e *Elector) acquireLocked(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	conn, err := e.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("leader election: connect: %w", err)
	}
	var got bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", e.key).Scan(&got); err != nil {
		discard(conn)
		return fmt.Errorf("leader election: try lock: %w", err)
	}
	if !got {
		conn.Close()
		return ErrNotLeader
	}
	e.conn = conn
	e.log.Info("this replica is now the scheduler leader")
	return nil
}

// holds checks that the leader's session is alive and still holds the lock.
// pg_locks shows a bigint advisory key split into classid (high 32 bits)
// and objid (low 32 bits), with objsubid 1.
func (e *Elector) holds(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	var held bool
	err := e.conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_locks
		WHERE locktype = 'advisory' AND granted AND objsubid = 1 AND pid = pg_backend_pid()
		AND classid::bigint = ($1::bigint >> 32) AND objid::bigint = ($1::bigint & 4294967295))`, e.key).Scan(&held)
	if err != nil {
		return err
	}
	if !held {
		return errors.New("lock not held")
	}
	return nil
}

func (e *Elector) dropLocked() {
	if e.conn != nil {
		discard(e.conn)
		e.conn = nil
	}
}

// discard closes conn's physical connection instead of returning it to the
// pool: a pooled connection would keep the session, and with it the lock.
func discard(conn *sql.Conn) {
	conn.Raw(func(any) error { return driver.ErrBadConn })
	conn.Close()
}
