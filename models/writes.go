package models

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/mattn/go-sqlite3"
)

// countingConnector opens the SQLite writer connection so that the end of
// every statement and transaction on it bumps a counter: the version read
// caches are keyed by (version.go). The bump comes after the work is
// committed, never before, so nothing read before a commit can be kept
// under a version that follows it. The credentials counter is bumped the
// same way, but only for statements that name a credential table.
type countingConnector struct {
	dsn    string
	writes *writeCounts
}

func (c countingConnector) Connect(context.Context) (driver.Conn, error) {
	sc, err := openSQLiteConn(c.dsn)
	if err != nil {
		return nil, err
	}
	// The checkpointer (checkpoint.go) copies the WAL back instead. When
	// this connection starts the WAL over, it shrinks a WAL file a burst of
	// writes left large. Grouped writes (group.go) each run under a
	// savepoint, whose undo journal is kept in memory rather than a temp
	// file.
	if _, err := sc.Exec("PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864; PRAGMA temp_store = MEMORY", nil); err != nil {
		sc.Close()
		return nil, fmt.Errorf("set the writer's WAL pragmas: %w", err)
	}
	return &countingConn{stmtConn: newStmtConn(sc, writerStmts), writes: c.writes}, nil
}

func (c countingConnector) Driver() driver.Driver { return &sqlite3.SQLiteDriver{} }

type countingConn struct {
	*stmtConn
	writes *writeCounts
	// credentials says a statement that may change a credential ran in the
	// transaction still open, or in the statement that just ended.
	credentials bool
}

// start notes what a statement may change, before it runs.
func (c *countingConn) start(query string) {
	c.credentials = c.credentials || touchesCredentials(query)
}

// ended bumps the counters after a statement or a transaction ends. The
// credentials counter waits until SQLite is back in autocommit mode, that
// is until the transaction is over however it was opened (BeginTx or a
// plain BEGIN): a bump inside it would let a reader keep what it read
// before the commit under a version that follows the bump.
func (c *countingConn) ended() {
	if c.credentials && c.SQLiteConn.AutoCommit() {
		c.credentials = false
		c.writes.credentials.Add(1)
	}
	c.writes.all.Add(1)
}

func (c *countingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	c.start(query)
	defer c.ended()
	return c.stmtConn.ExecContext(ctx, query, args)
}

// QueryContext covers writes that return rows (INSERT … RETURNING); they
// are done once the rows are closed.
func (c *countingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	c.start(query)
	rows, err := c.stmtConn.QueryContext(ctx, query, args)
	if err != nil {
		c.ended()
		return nil, err
	}
	return &countingRows{stmtRows: rows.(*stmtRows), conn: c}, nil
}

func (c *countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	tx, err := c.SQLiteConn.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return countingTx{Tx: tx, conn: c}, nil
}

type countingTx struct {
	driver.Tx
	conn *countingConn
}

func (t countingTx) Commit() error {
	defer t.conn.ended()
	return t.Tx.Commit()
}

func (t countingTx) Rollback() error {
	defer t.conn.ended()
	return t.Tx.Rollback()
}

type countingRows struct {
	*stmtRows
	conn *countingConn
}

func (r *countingRows) Close() error {
	defer r.conn.ended()
	return r.stmtRows.Close()
}

// credentialTables are what an API token or a session resolves through
// (UserByToken, SessionByToken): the token or session row and its user.
// No other table reaches them: api_tokens and sessions cascade from users
// alone, and users refer only to customers, whose deletion is refused
// while they have users (ON DELETE RESTRICT) and of which a User holds
// just the id.
var credentialTables = [...]string{"users", "api_tokens", "sessions"}

// touchesCredentials reports whether query names a credential table as a
// whole word, in any case and however quoted, anywhere in its text. A read
// or a string that names one costs a needless bump; a write missed would
// keep a revoked credential working. It runs on every statement, so it
// scans the text in place, without allocating.
func touchesCredentials(query string) bool {
	start := 0
	for i := 0; i < len(query); i++ {
		if wordBytes[query[i]] {
			continue
		}
		if isCredentialTable(query[start:i]) {
			return true
		}
		start = i + 1
	}
	return isCredentialTable(query[start:])
}

// wordBytes are the bytes of an unquoted SQL name; any other byte ends a
// word, which errs towards finding a table name. A table lookup halves the
// time of a scan against comparisons.
var wordBytes = func() (w [256]bool) {
	for b := range w {
		w[b] = b == '_' || '0' <= b && b <= '9' || 'a' <= b|0x20 && b|0x20 <= 'z'
	}
	return w
}()

func isCredentialTable(word string) bool {
	for _, t := range credentialTables {
		if len(word) == len(t) && strings.EqualFold(word, t) {
			return true
		}
	}
	return false
}
