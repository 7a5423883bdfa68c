package models

import (
	"context"
	"database/sql/driver"
	"fmt"
	"sync/atomic"

	"github.com/mattn/go-sqlite3"
)

// countingConnector opens the SQLite writer connection so that the end of
// every statement and transaction on it bumps a counter: the version read
// caches are keyed by (version.go). The bump comes after the work is
// committed, never before, so nothing read before a commit can be kept
// under a version that follows it.
type countingConnector struct {
	dsn    string
	writes *atomic.Int64
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
	// The checkpointer (checkpoint.go) copies the WAL back instead.
	if _, err := sc.Exec("PRAGMA wal_autocheckpoint = 0", nil); err != nil {
		sc.Close()
		return nil, fmt.Errorf("turn automatic checkpoints off: %w", err)
	}
	return &countingConn{SQLiteConn: sc, writes: c.writes}, nil
}

func (c countingConnector) Driver() driver.Driver { return &sqlite3.SQLiteDriver{} }

type countingConn struct {
	*sqlite3.SQLiteConn
	writes *atomic.Int64
}

func (c *countingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	defer c.writes.Add(1)
	return c.SQLiteConn.ExecContext(ctx, query, args)
}

// QueryContext covers writes that return rows (INSERT … RETURNING); they
// are done once the rows are closed.
func (c *countingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := c.SQLiteConn.QueryContext(ctx, query, args)
	if err != nil {
		c.writes.Add(1)
		return nil, err
	}
	sr, ok := rows.(*sqlite3.SQLiteRows)
	if !ok {
		rows.Close()
		return nil, fmt.Errorf("sqlite driver returned %T", rows)
	}
	return &countingRows{SQLiteRows: sr, writes: c.writes}, nil
}

func (c *countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	tx, err := c.SQLiteConn.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return countingTx{Tx: tx, writes: c.writes}, nil
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
	writes *atomic.Int64
}

func (t countingTx) Commit() error {
	defer t.writes.Add(1)
	return t.Tx.Commit()
}

func (t countingTx) Rollback() error {
	defer t.writes.Add(1)
	return t.Tx.Rollback()
}

type countingRows struct {
	*sqlite3.SQLiteRows
	writes *atomic.Int64
}

func (r *countingRows) Close() error {
	defer r.writes.Add(1)
	return r.SQLiteRows.Close()
}
