package models

import (
	"context"
	"database/sql"
	"sync"

	"gorm.io/gorm"
)

// writeQueries are the reads every item write runs in its transaction.
// They run through statements prepared once on the writer: database/sql
// reuses a statement in a transaction on the connection it was prepared
// on, while one that GORM prepares inside a transaction is prepared again
// in the next, and SQLite's parsing and planning was a tenth of an
// update's time on the one writer connection that every write waits for.
var writeQueries = []string{itemByID, postmortemAccess}

// prepared holds writeQueries' statements once they are prepared.
type prepared struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// write runs fn in a write transaction, having prepared writeQueries
// first: a statement cannot be prepared on SQLite's one writer connection
// while a transaction holds it.
func (s *Store) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	s.prepareWrites()
	return s.db.W.WithContext(ctx).Transaction(fn)
}

// prepareWrites prepares writeQueries on the writer. Until it succeeds
// (on a database not yet migrated, say), the queries run through GORM.
func (s *Store) prepareWrites() {
	p := s.prepared
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.stmts) == len(writeQueries) {
		return
	}
	w, err := s.db.W.DB()
	if err != nil {
		return
	}
	for _, q := range writeQueries {
		if p.stmts[q] != nil {
			continue
		}
		if st, err := w.Prepare(q); err == nil {
			p.stmts[q] = st
		}
	}
}

// rows runs query on q's connection: in a write transaction through the
// writer's prepared statement when there is one, elsewhere through GORM
// (whose readers keep their statements prepared themselves).
func (s *Store) rows(q *gorm.DB, query string, args ...any) (*sql.Rows, error) {
	tx, ok := q.Statement.ConnPool.(*sql.Tx)
	if ok {
		s.prepared.mu.Lock()
		st := s.prepared.stmts[query]
		s.prepared.mu.Unlock()
		if st != nil {
			ctx := q.Statement.Context
			return tx.StmtContext(ctx, st).QueryContext(ctx, args...)
		}
	}
	return q.Raw(query, args...).Rows()
}
