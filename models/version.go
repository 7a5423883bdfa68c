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
// a new version. It keeps a second counter for the credential caches, bumped
// only when what ended could have changed a credential (credentialTables),
// so that item updates do not make every request look its token up again.
// Writes by other processes (a CLI command next to serve) are seen through
// SQLite's data_version, which changes on a connection whenever another one
// commits; it is asked at most every externalPoll, and bumps both counters,
// as what another process wrote is not known.
type versionWatch struct {
	writes *writeCounts // shared by every handle on the same file in this process
	db     *sql.DB

	mu        sync.Mutex // held while asking data_version
	conn      *sql.Conn
	seen      int64 // data_version last seen on conn
	checkedAt atomic.Int64
}

// externalPoll bounds how late a write by another process is noticed.
const externalPoll = 100 * time.Millisecond

// writeCounts are the two versions of one database file in this process.
type writeCounts struct {
	all         atomic.Int64 // every write
	credentials atomic.Int64 // writes that may change what a credential resolves to
}

func (c *writeCounts) bumpBoth() {
	c.credentials.Add(1)
	c.all.Add(1)
}

// writeCounters holds the counts of each database file, so that two handles
// on one file in this process see each other's writes at once.
var writeCounters sync.Map

func writeCounter(path string) *writeCounts {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	c, _ := writeCounters.LoadOrStore(path, new(writeCounts))
	return c.(*writeCounts)
}

func newVersionWatch(dsn string, writes *writeCounts) (*versionWatch, error) {
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return &versionWatch{db: db, writes: writes}, nil
}

// poll looks for other processes' writes when the last look is externalPoll
// old; callers read a counter after it, so that the counter follows it.
func (w *versionWatch) poll(ctx context.Context) *writeCounts {
	now := time.Now().UnixNano()
	if now-w.checkedAt.Load() >= int64(externalPoll) && w.mu.TryLock() {
		w.checkExternal(ctx)
		w.checkedAt.Store(now)
		w.mu.Unlock()
	}
	return w.writes
}

// checkExternal bumps the counters when data_version moved. It also moves
// for this process's own commits, which costs at most one extra miss per
// poll; a failed check bumps too, as nothing can be known then.
func (w *versionWatch) checkExternal(ctx context.Context) {
	if w.conn == nil {
		conn, err := w.db.Conn(ctx)
		if err != nil {
			w.writes.bumpBoth()
			return
		}
		w.conn, w.seen = conn, -1
	}
	var v int64
	if err := w.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		w.conn.Close()
		w.conn = nil
		w.writes.bumpBoth()
		return
	}
	if v != w.seen {
		w.seen = v
		w.writes.bumpBoth()
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
	return d.watch.poll(ctx).all.Load(), true
}

// CredentialsVersion is like Version but changes only after commits that
// may change what an API token or a session resolves to: any write by
// another process, and this process's writes to credentialTables. Caches
// of credentials keyed by it outlive ordinary writes.
func (d *DB) CredentialsVersion(ctx context.Context) (v int64, ok bool) {
	if d.watch == nil {
		return 0, false
	}
	return d.watch.poll(ctx).credentials.Load(), true
}
