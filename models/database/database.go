package database

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

// DB holds the connection pools. On SQLite, writes go through one
// connection that opens its transactions with BEGIN IMMEDIATE, so a
// transaction that reads then writes never fails with "database is
// locked"; reads use a separate pool and never wait for the writer (WAL).
// On PostgreSQL both point at the same pool.
type DB struct {
	R, W     *gorm.DB
	Postgres bool
	locks    keyedLocks // SQLite only: its one process's WithLock
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

// maxReaders is the size of the SQLite read pool. A read on SQLite is this
// process's own CPU work, so more readers than requests in flight on a few
// cores buy nothing; fewer make requests queue for a connection, which
// database/sql hands to a waiter at random.
const maxReaders = 16

// sqliteParams are the per-connection settings go-sqlite3 reads from the
// DSN. synchronous=NORMAL in WAL mode keeps every committed transaction
// across a process crash (cmd/amends/durability_test.go). Each connection
// keeps its last 32 single statements prepared (_stmt_cache_size), inside
// transactions too: parsing and planning each query anew was a sixth of a
// computed list's CPU, and a tenth of an update's time on the one writer
// connection that every write waits for.
const sqliteParams = "_journal_mode=WAL&_foreign_keys=on&_busy_timeout=10000&_synchronous=NORMAL&_stmt_cache_size=32"

// sqlitePragmas are the ones go-sqlite3 has no DSN parameter for, run as
// each connection opens. SQLite checkpoints the WAL itself after a commit
// past 10,000 pages (about 40 MB): at its default of 1,000, the committing
// update paid for a checkpoint every few dozen updates, each rewriting the
// same upper pages of the item indexes. journal_size_limit truncates a WAL
// that a burst grew beyond 64 MB once it is started over.
const sqlitePragmas = "PRAGMA wal_autocheckpoint = 10000; PRAGMA journal_size_limit = 67108864"

// sqliteConnector opens SQLite connections with the pragmas above.
type sqliteConnector struct{ dsn string }

func (c sqliteConnector) Connect(context.Context) (driver.Conn, error) { return c.Driver().Open(c.dsn) }

func (c sqliteConnector) Driver() driver.Driver {
	return &sqlite3.SQLiteDriver{ConnectHook: func(conn *sqlite3.SQLiteConn) error {
		_, err := conn.Exec(sqlitePragmas, nil)
		return err
	}}
}

func openSQLite(path string, gcfg *gorm.Config) (*DB, error) {
	if path == "" {
		path = "amends.db"
	}
	base := "file:" + path + "?" + sqliteParams
	wdb := sql.OpenDB(sqliteConnector{dsn: base + "&_txlock=immediate"})
	wdb.SetMaxOpenConns(1)
	wdb.SetConnMaxLifetime(0)
	w, err := gorm.Open(sqlite.New(sqlite.Config{Conn: wdb}), gcfg)
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// The readers' page caches are kept small (512 KB, against SQLite's
	// 2 MB default): the OS caches the file for all of them, and sixteen
	// full caches would be a fifth of serve's memory budget.
	rdb := sql.OpenDB(sqliteConnector{dsn: base + "&_query_only=true&_cache_size=-512"})
	rdb.SetMaxOpenConns(maxReaders)
	rdb.SetMaxIdleConns(maxReaders)
	rdb.SetConnMaxIdleTime(time.Minute)
	r, err := gorm.Open(sqlite.New(sqlite.Config{Conn: rdb}), gcfg)
	if err != nil {
		wdb.Close()
		rdb.Close()
		return nil, fmt.Errorf("open sqlite %s for reading: %w", path, err)
	}
	return &DB{R: r, W: w}, nil
}

// Close closes both pools.
func (d *DB) Close() error {
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
