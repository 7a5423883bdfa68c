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
	sqlDB, err := s.db.W.DB()
	if err != nil {
		return false, fmt.Errorf("job lock %d: %w", key, err)
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return false, fmt.Errorf("job lock %d: %w", key, err)
	}
	defer conn.Close()
	var got bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&got); err != nil {
		return false, fmt.Errorf("take job lock %d: %w", key, err)
	}
	if !got {
		return false, nil
	}
	defer func() {
		if _, uerr := conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", key); uerr != nil && err == nil {
			err = fmt.Errorf("release job lock %d: %w", key, uerr)
		}
	}()
	return true, fn()
}
