package models

import (
	"context"
	"database/sql"
	"sync"

	"gorm.io/gorm"
)

// writerPool hands the one SQLite writer connection to callers in the
// order they asked for it. database/sql gives a freed connection to a
// random waiter, so with dozens of concurrent writes some waited many
// turns; first come, first served bounds the wait by the queue's length.
type writerPool struct {
	db   *sql.DB
	turn chan struct{}
}

func newWriterPool(db *sql.DB) *writerPool {
	return &writerPool{db: db, turn: make(chan struct{}, 1)}
}

// wait queues for the writer; blocked senders on a channel are served in
// order.
func (p *writerPool) wait(ctx context.Context) error {
	select {
	case p.turn <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *writerPool) done() { <-p.turn }

func (p *writerPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := p.wait(ctx); err != nil {
		return nil, err
	}
	defer p.done()
	return p.db.ExecContext(ctx, query, args...)
}

// QueryContext keeps the connection until the rows are closed; the turn
// passes on before that, and the next in line waits inside database/sql.
func (p *writerPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := p.wait(ctx); err != nil {
		return nil, err
	}
	defer p.done()
	return p.db.QueryContext(ctx, query, args...)
}

func (p *writerPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if err := p.wait(ctx); err != nil {
		return p.db.QueryRowContext(ctx, query, args...) // reports the context's error
	}
	defer p.done()
	return p.db.QueryRowContext(ctx, query, args...)
}

func (p *writerPool) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return p.db.PrepareContext(ctx, query)
}

// BeginTx holds the turn until the transaction ends.
func (p *writerPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	if err := p.wait(ctx); err != nil {
		return nil, err
	}
	tx, err := p.db.BeginTx(ctx, opts)
	if err != nil {
		p.done()
		return nil, err
	}
	return &writerTx{Tx: tx, done: sync.OnceFunc(p.done)}, nil
}

// GetDBConn lets gorm.DB.DB() reach the pool.
func (p *writerPool) GetDBConn() (*sql.DB, error) { return p.db, nil }

type writerTx struct {
	*sql.Tx
	done func()
}

func (t *writerTx) Commit() error {
	defer t.done()
	return t.Tx.Commit()
}

func (t *writerTx) Rollback() error {
	defer t.done()
	return t.Tx.Rollback()
}
