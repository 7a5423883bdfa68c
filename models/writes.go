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
	conn, err := (&sqlite3.SQLiteDriver{}).Open(c.dsn)
	if err != nil {
		return nil, err
	}
	sc, ok := conn.(*sqlite3.SQLiteConn)
	if !ok {
		conn.Close()
		return nil, fmt.Errorf("sqlite driver returned %T", conn)
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
	return &countingConn{SQLiteConn: sc, writes: c.writes}, nil
}

func (c countingConnector) Driver() driver.Driver { return &sqlite3.SQLiteDriver{} }

type countingConn struct {
	*sqlite3.SQLiteConn
	writes *writeCounts
	// credentials says a statement that may change a credential ran in the
	// transaction still open, or in the statement that just ended.
	credentials bool
	stmts       stmtCache
}

// Close finalizes the cached statements before the connection closes.
func (c *countingConn) Close() error {
	c.stmts.close()
	return c.SQLiteConn.Close()
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
	if cs := c.stmts.get(c.SQLiteConn, query, len(args)); cs != nil {
		return cs.stmt.ExecContext(ctx, args)
	}
	return c.SQLiteConn.ExecContext(ctx, query, args)
}

// QueryContext covers writes that return rows (INSERT … RETURNING); they
// are done once the rows are closed.
func (c *countingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	c.start(query)
	cs := c.stmts.get(c.SQLiteConn, query, len(args))
	var rows driver.Rows
	var err error
	if cs != nil {
		rows, err = cs.stmt.QueryContext(ctx, args)
	} else {
		rows, err = c.SQLiteConn.QueryContext(ctx, query, args)
	}
	if err != nil {
		c.ended()
		return nil, err
	}
	sr, ok := rows.(*sqlite3.SQLiteRows)
	if !ok {
		rows.Close()
		c.ended()
		return nil, fmt.Errorf("sqlite driver returned %T", rows)
	}
	if cs != nil {
		cs.inUse = true
	}
	return &countingRows{SQLiteRows: sr, conn: c, cached: cs}, nil
}

func (c *countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	tx, err := c.SQLiteConn.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return countingTx{Tx: tx, conn: c}, nil
}

// Prepared statements are refused: a statement run through one would not
// be counted. amends does not prepare statements; database/sql runs every
// query through ExecContext and QueryContext above.
func (c *countingConn) Prepare(string) (driver.Stmt, error) { return nil, errNoPrepare }

func (c *countingConn) PrepareContext(context.Context, string) (driver.Stmt, error) {
	return nil, errNoPrepare
}

var errNoPrepare = fmt.Errorf("prepared statements are not used on the SQLite writer")

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
	*sqlite3.SQLiteRows
	conn   *countingConn
	cached *cachedStmt // nil for rows of a statement not cached
}

func (r *countingRows) Close() error {
	defer r.conn.ended()
	err := r.SQLiteRows.Close()
	if r.cached != nil {
		r.cached.rowsClosed()
		r.cached = nil
	}
	return err
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
