package models

import (
	"context"
	"database/sql"
	"sync"

	"gorm.io/gorm"

	"github.com/amendsdev/amends/admit"
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
// order. The request waiting gives its admission slot back (package
// admit) until its turn is done: holding the writer, it is the one piece
// of work every other write waits for, so it runs without waiting for a
// slot again. done ends the turn and takes the slot back.
func (p *writerPool) wait(ctx context.Context) (done func(), err error) {
	resume := admit.Pause(ctx)
	select {
	case p.turn <- struct{}{}:
		return func() { <-p.turn; resume() }, nil
	case <-ctx.Done():
		resume()
		return nil, ctx.Err()
	}
}

func (p *writerPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	done, err := p.wait(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	return p.db.ExecContext(ctx, query, args...)
}

// QueryContext keeps the connection until the rows are closed; the turn
// passes on before that, and the next in line waits inside database/sql.
func (p *writerPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	done, err := p.wait(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	return p.db.QueryContext(ctx, query, args...)
}

func (p *writerPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	done, err := p.wait(ctx)
	if err != nil {
		return p.db.QueryRowContext(ctx, query, args...) // reports the context's error
	}
	defer done()
	return p.db.QueryRowContext(ctx, query, args...)
}

func (p *writerPool) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return p.db.PrepareContext(ctx, query)
}

// BeginTx holds the turn until the transaction ends.
func (p *writerPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	done, err := p.wait(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := p.db.BeginTx(ctx, opts)
	if err != nil {
		done()
		return nil, err
	}
	return &writerTx{Tx: tx, done: sync.OnceFunc(done)}, nil
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
