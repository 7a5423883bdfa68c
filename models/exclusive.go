package models

import (
	"context"
	"fmt"
)

// RunExclusive runs fn unless a job under the same key runs elsewhere, so a
// scheduled job runs once across replicas. On PostgreSQL it holds a session
// advisory lock on one connection for as long as fn runs (a replica that
// dies drops its connection, and with it the lock); SQLite serves a single
// process, whose own jobs are serialised by the caller, so fn just runs.
func (s *Store) RunExclusive(ctx context.Context, key int64, fn func() error) (ran bool, err error) {
	if !s.db.Postgres {
		return true, fn()
	}
	return s.underSessionLock(ctx, fmt.Sprintf("job lock %d", key),
		"SELECT pg_try_advisory_lock($1)", "SELECT pg_advisory_unlock($1)", []any{key}, fn)
}

// underSessionLock takes a PostgreSQL session advisory lock with take, a
// query that answers whether it got the lock, on a connection of its own,
// and runs fn holding it; release gives it back on the same connection,
// even when ctx has ended. A process that dies drops its connection, and
// with it the lock. ran says whether fn ran.
func (s *Store) underSessionLock(ctx context.Context, name, take, release string, args []any, fn func() error) (ran bool, err error) {
	sqlDB, err := s.db.W.DB()
	if err != nil {
		return false, fmt.Errorf("%s: %w", name, err)
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return false, fmt.Errorf("%s: %w", name, err)
	}
	defer conn.Close()
	var got bool
	if err := conn.QueryRowContext(ctx, take, args...).Scan(&got); err != nil {
		return false, fmt.Errorf("take %s: %w", name, err)
	}
	if !got {
		return false, nil
	}
	defer func() {
		if _, uerr := conn.ExecContext(context.WithoutCancel(ctx), release, args...); uerr != nil && err == nil {
			err = fmt.Errorf("release %s: %w", name, uerr)
		}
	}()
	return true, fn()
}
