package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// DB holds the connection pools. On SQLite, writes go through a single
// connection that opens its transactions with BEGIN IMMEDIATE, so a
// read-then-write transaction never fails with "database is locked", while
// reads use a separate pool and never wait for the writer (WAL). On
// PostgreSQL both point at the same pool.
type DB struct {
	R, W        *gorm.DB
	Postgres    bool
	watch       *versionWatch // SQLite only
	checkpoints *checkpointer // SQLite only
	group       *groupCommit  // SQLite only
	locks       keyedLocks    // SQLite only: its one process's WithLock
}

// OpenConfig says which database to open.
type OpenConfig struct {
	SQLitePath  string // used when DatabaseURL is empty
	DatabaseURL string // postgres://…
}

// Open connects to the configured database.
func Open(cfg OpenConfig) (*DB, error) {
	gcfg := &gorm.Config{
		TranslateError: true,
		Logger:         logger.Discard,
		NowFunc:        func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
	}
	if u := cfg.DatabaseURL; u != "" {
		if !strings.HasPrefix(u, "postgres://") && !strings.HasPrefix(u, "postgresql://") {
			return nil, fmt.Errorf("database url: want postgres://…, got %q", redactURL(u))
		}
		g, err := gorm.Open(postgres.Open(u), gcfg)
		if err != nil {
			return nil, fmt.Errorf("open postgres %s: %w", redactURL(u), err)
		}
		sqlDB, err := g.DB()
		if err != nil {
			return nil, err
		}
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(10)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		return &DB{R: g, W: g, Postgres: true}, nil
	}
	return openSQLite(cfg.SQLitePath, gcfg)
}

// maxReaders is the size of the SQLite read pool.
const maxReaders = 32

// Statements each SQLite connection keeps prepared (stmtcache.go): the
// writer runs every write, each reader a share of the reads.
const (
	writerStmts = 512
	readerStmts = 64
)

// readerConnector opens the SQLite read connections.
type readerConnector struct{ dsn string }

func (c readerConnector) Connect(context.Context) (driver.Conn, error) {
	sc, err := openSQLiteConn(c.dsn)
	if err != nil {
		return nil, err
	}
	return newStmtConn(sc, readerStmts), nil
}

func (c readerConnector) Driver() driver.Driver { return &sqlite3.SQLiteDriver{} }

// openSQLiteConn opens one SQLite connection, for the connectors of the
// writer and the readers to wrap.
func openSQLiteConn(dsn string) (*sqlite3.SQLiteConn, error) {
	conn, err := (&sqlite3.SQLiteDriver{}).Open(dsn)
	if err != nil {
		return nil, err
	}
	sc, ok := conn.(*sqlite3.SQLiteConn)
	if !ok {
		conn.Close()
		return nil, fmt.Errorf("sqlite driver returned %T", conn)
	}
	return sc, nil
}

func openSQLite(path string, gcfg *gorm.Config) (*DB, error) {
	if path == "" {
		path = "amends.db"
	}
	// Pragmas go in the DSN because they are per connection. synchronous=NORMAL
	// in WAL mode keeps every committed transaction across a process crash.
	base := "file:" + path + "?_journal_mode=WAL&_foreign_keys=on&_busy_timeout=10000&_synchronous=NORMAL"
	writes := writeCounter(path)
	wdb := sql.OpenDB(countingConnector{dsn: base + "&_txlock=immediate", writes: writes})
	wdb.SetMaxOpenConns(1)
	wdb.SetConnMaxLifetime(0)
	writer := newWriterPool(wdb)
	w, err := gorm.Open(sqlite.New(sqlite.Config{Conn: writer}), gcfg)
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// Enough readers that requests seldom queue for one: database/sql hands
	// a freed connection to a random waiter, which makes for long tails.
	// Their page caches are kept small; the OS caches the file for all.
	rdb := sql.OpenDB(readerConnector{dsn: base + "&_query_only=true&_cache_size=-512"})
	r, err := gorm.Open(sqlite.New(sqlite.Config{Conn: rdb}), gcfg)
	if err != nil {
		rdb.Close()
		return nil, fmt.Errorf("open sqlite %s for reading: %w", path, err)
	}
	rdb.SetMaxOpenConns(maxReaders)
	rdb.SetMaxIdleConns(maxReaders)
	rdb.SetConnMaxIdleTime(time.Minute)
	watch, err := newVersionWatch(base+"&_query_only=true", writes)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s to watch for changes: %w", path, err)
	}
	cp, err := startCheckpointer(path, base, writer)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s to checkpoint: %w", path, err)
	}
	return &DB{R: r, W: w, watch: watch, checkpoints: cp, group: startGroupCommit(w)}, nil
}

// Close closes both pools.
func (d *DB) Close() error {
	if d.group != nil {
		d.group.close()
	}
	var first error
	for _, g := range []*gorm.DB{d.W, d.R} {
		s, err := g.DB()
		if err == nil {
			err = s.Close()
		}
		if err != nil && first == nil {
			first = err
		}
		if d.R == d.W {
			break
		}
	}
	if d.watch != nil {
		if err := d.watch.close(); err != nil && first == nil {
			first = err
		}
	}
	if d.checkpoints != nil {
		if err := d.checkpoints.close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Ping checks that the database answers, for readiness probes.
func (d *DB) Ping(ctx context.Context) error {
	s, err := d.R.DB()
	if err != nil {
		return err
	}
	return s.PingContext(ctx)
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable url)"
	}
	return u.Redacted()
}
