package models

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/mattn/go-sqlite3"
)

// stmtConn is a SQLite connection that keeps its statements prepared, by
// their text. go-sqlite3 parses and plans each statement anew: on the
// writer, four times for an item update (a savepoint, a conditional
// UPDATE, an INSERT of its audit event, a release) while every write
// queued behind it waits; on a reader, a quarter of the reads an update
// plans with. Keeping them took the store's side of an update from 485 to
// 445 µs on a million items. The statements amends runs differ mostly in
// their arguments, so a few hundred texts cover them.
type stmtConn struct {
	*sqlite3.SQLiteConn
	stmts stmtCache
}

func newStmtConn(sc *sqlite3.SQLiteConn, limit int) *stmtConn {
	return &stmtConn{SQLiteConn: sc, stmts: stmtCache{limit: limit}}
}

// Close finalizes the cached statements before the connection closes.
func (c *stmtConn) Close() error {
	c.stmts.close()
	return c.SQLiteConn.Close()
}

func (c *stmtConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if cs := c.stmts.get(c.SQLiteConn, query, len(args)); cs != nil {
		return cs.stmt.ExecContext(ctx, args)
	}
	return c.SQLiteConn.ExecContext(ctx, query, args)
}

func (c *stmtConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	cs := c.stmts.get(c.SQLiteConn, query, len(args))
	var rows driver.Rows
	var err error
	if cs != nil {
		rows, err = cs.stmt.QueryContext(ctx, args)
	} else {
		rows, err = c.SQLiteConn.QueryContext(ctx, query, args)
	}
	if err != nil {
		return nil, err
	}
	sr, ok := rows.(*sqlite3.SQLiteRows)
	if !ok {
		rows.Close()
		return nil, fmt.Errorf("sqlite driver returned %T", rows)
	}
	if cs != nil {
		cs.inUse = true
	}
	return &stmtRows{SQLiteRows: sr, cached: cs}, nil
}

// Prepared statements are refused: the connection prepares its own, and a
// statement prepared apart would escape what wraps the connection (the
// writer's counters). amends does not prepare statements; database/sql
// runs every query through ExecContext and QueryContext above.
func (c *stmtConn) Prepare(string) (driver.Stmt, error) { return nil, errNoPrepare }

func (c *stmtConn) PrepareContext(context.Context, string) (driver.Stmt, error) {
	return nil, errNoPrepare
}

var errNoPrepare = fmt.Errorf("prepared statements are not used on SQLite")

type stmtRows struct {
	*sqlite3.SQLiteRows
	cached *cachedStmt // nil for rows of a statement not cached
}

func (r *stmtRows) Close() error {
	err := r.SQLiteRows.Close()
	if r.cached != nil {
		r.cached.rowsClosed()
		r.cached = nil
	}
	return err
}

// stmtCache holds one connection's prepared statements.
type stmtCache struct {
	stmts map[string]*cachedStmt
	limit int // past it, the cache starts empty again
}

type cachedStmt struct {
	stmt *sqlite3.SQLiteStmt
	// inUse is set while rows read from the statement are open: running
	// it again would reset them. A statement evicted meanwhile is
	// finalized once they are closed.
	inUse, evicted bool
}

// rowsClosed is called once rows read from the statement are closed.
func (cs *cachedStmt) rowsClosed() {
	cs.inUse = false
	if cs.evicted {
		cs.stmt.Close()
	}
}

// get returns the prepared statement for query, or nil where it is not to
// be cached: a text with several statements (only the first would run),
// or one whose argument count does not match, which go-sqlite3 reports
// better when it runs the text itself.
func (c *stmtCache) get(conn *sqlite3.SQLiteConn, query string, args int) *cachedStmt {
	if strings.Contains(query, ";") {
		return nil
	}
	cs := c.stmts[query]
	if cs == nil {
		if len(c.stmts) >= c.limit {
			c.close()
		}
		st, err := conn.Prepare(query)
		if err != nil {
			return nil
		}
		cs = &cachedStmt{stmt: st.(*sqlite3.SQLiteStmt)}
		if c.stmts == nil {
			c.stmts = map[string]*cachedStmt{}
		}
		c.stmts[query] = cs
	}
	if cs.inUse || cs.stmt.NumInput() != args {
		return nil
	}
	return cs
}

// close finalizes every statement; one with rows open is finalized when
// they are closed.
func (c *stmtCache) close() {
	for q, cs := range c.stmts {
		cs.evicted = true
		if !cs.inUse {
			cs.stmt.Close()
		}
		delete(c.stmts, q)
	}
}
