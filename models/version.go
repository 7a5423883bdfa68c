package models

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// versionWatch tells whether the SQLite database changed, cheaply enough to
// ask on every request. Writes by this process all pass through the
// counting writer connection (writes.go), which bumps a counter after each
// statement or transaction ends, so a read that follows a write always sees
// a new version. Writes by other processes (a CLI command next to serve)
// are seen through SQLite's data_version, which changes on a connection
// whenever another one commits; it is asked at most every externalPoll.
type versionWatch struct {
	writes *atomic.Int64 // shared by every handle on the same file in this process
	db     *sql.DB

	mu        sync.Mutex // held while asking data_version
	conn      *sql.Conn
	seen      int64 // data_version last seen on conn
	checkedAt atomic.Int64
}

// externalPoll bounds how late a write by another process is noticed.
const externalPoll = 100 * time.Millisecond

// writeCounters holds one counter per database file, so that two handles
// on one file in this process see each other's writes at once.
var writeCounters sync.Map

func writeCounter(path string) *atomic.Int64 {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	c, _ := writeCounters.LoadOrStore(path, new(atomic.Int64))
	return c.(*atomic.Int64)
}

func newVersionWatch(dsn string, writes *atomic.Int64) (*versionWatch, error) {
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return &versionWatch{db: db, writes: writes}, nil
}

func (w *versionWatch) version(ctx context.Context) int64 {
	now := time.Now().UnixNano()
	if now-w.checkedAt.Load() >= int64(externalPoll) && w.mu.TryLock() {
		w.checkExternal(ctx)
		w.checkedAt.Store(now)
		w.mu.Unlock()
	}
	return w.writes.Load()
}

// checkExternal bumps the counter when data_version moved. It also moves
// for this process's own commits, which costs at most one extra miss per
// poll; a failed check bumps too, as nothing can be known then.
func (w *versionWatch) checkExternal(ctx context.Context) {
	if w.conn == nil {
		conn, err := w.db.Conn(ctx)
		if err != nil {
			w.writes.Add(1)
			return
		}
		w.conn, w.seen = conn, -1
	}
	var v int64
	if err := w.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		w.conn.Close()
		w.conn = nil
		w.writes.Add(1)
		return
	}
	if v != w.seen {
		w.seen = v
		w.writes.Add(1)
	}
}

func (w *versionWatch) close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.conn != nil {
		w.conn.Close()
	}
	return w.db.Close()
}

// Version is a value that changes after every commit to the database: at
// once for this process's writes, within externalPoll for another
// process's. ok is false where that cannot be told cheaply (PostgreSQL):
// callers must then not cache what they read.
func (d *DB) Version(ctx context.Context) (v int64, ok bool) {
	if d.watch == nil {
		return 0, false
	}
	return d.watch.version(ctx), true
}
