package models

import (
	"context"
	"database/sql"
	"sync"
)

// versionWatch tells whether the SQLite database changed. SQLite's
// data_version changes on a connection whenever any other connection, in
// this process or another, commits; a dedicated connection that never
// writes therefore sees every commit.
type versionWatch struct {
	mu    sync.Mutex
	db    *sql.DB
	conn  *sql.Conn
	epoch int64 // bumped when the connection is replaced, so versions never repeat
}

func newVersionWatch(dsn string) (*versionWatch, error) {
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return &versionWatch{db: db}, nil
}

func (w *versionWatch) version(ctx context.Context) (int64, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.conn == nil {
		conn, err := w.db.Conn(ctx)
		if err != nil {
			return 0, false
		}
		w.conn, w.epoch = conn, w.epoch+1
	}
	var v int64
	if err := w.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		w.conn.Close()
		w.conn = nil
		return 0, false
	}
	return w.epoch<<32 | v, true
}

func (w *versionWatch) close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.conn != nil {
		w.conn.Close()
	}
	return w.db.Close()
}

// Version is a value that changes after every commit to the database, by
// any process. ok is false where that cannot be told cheaply (PostgreSQL):
// callers must then not cache what they read.
func (d *DB) Version(ctx context.Context) (v int64, ok bool) {
	if d.watch == nil {
		return 0, false
	}
	return d.watch.version(ctx)
}
