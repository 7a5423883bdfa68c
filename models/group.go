package models

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"gorm.io/gorm"

	"github.com/amendsdev/amends/admit"
)

// groupCommit runs the small writes of many requests in shared SQLite
// transactions. With one writer, every transaction is a turn handed from
// one goroutine to the next, and under load each hand-over waits for the
// Go scheduler to run the next goroutine while the writer sits idle. One
// goroutine that takes every write queued, runs them one after another in
// one transaction, each under its own savepoint, and commits once, keeps
// the writer busy and the hand-overs few.
type groupCommit struct {
	w     *gorm.DB
	queue chan *groupWrite
	stop  chan struct{}
	done  chan struct{}
}

type groupWrite struct {
	ctx    context.Context
	fn     func(tx *gorm.DB) error
	result chan groupResult // buffered: the runner never waits for the caller
}

type groupResult struct {
	err      error
	panicked any
}

// maxGroup bounds a transaction, so that one commit's wait stays short.
const maxGroup = 64

var errGroupClosed = errors.New("database closed")

func startGroupCommit(w *gorm.DB) *groupCommit {
	g := &groupCommit{w: w, queue: make(chan *groupWrite), stop: make(chan struct{}), done: make(chan struct{})}
	go g.run()
	return g
}

// write runs fn in a transaction it may share with other writes; an error
// from fn rolls back fn's changes only. It returns once the transaction
// is committed, with fn's error or the commit's. A panic in fn is raised
// again in the caller.
func (g *groupCommit) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	// The caller only waits from here on: fn runs on the group's goroutine.
	defer admit.Pause(ctx)()
	gw := &groupWrite{ctx: ctx, fn: fn, result: make(chan groupResult, 1)}
	select {
	case g.queue <- gw:
	case <-ctx.Done():
		return ctx.Err()
	case <-g.done:
		return errGroupClosed
	}
	// Once queued, the write may be committed whatever becomes of ctx: the
	// caller waits to learn whether it was.
	var res groupResult
	select {
	case res = <-gw.result:
	case <-g.done:
		select {
		case res = <-gw.result:
		default:
			return errGroupClosed
		}
	}
	if res.panicked != nil {
		panic(res.panicked)
	}
	return res.err
}

func (g *groupCommit) run() {
	defer close(g.done)
	for {
		var batch []*groupWrite
		select {
		case gw := <-g.queue:
			batch = append(batch, gw)
		case <-g.stop:
			return
		}
	fill:
		for len(batch) < maxGroup {
			select {
			case gw := <-g.queue:
				batch = append(batch, gw)
			default:
				break fill
			}
		}
		g.commit(batch)
	}
}

func (g *groupCommit) commit(batch []*groupWrite) {
	results := make([]groupResult, len(batch))
	err := g.w.Transaction(func(tx *gorm.DB) error {
		for i, gw := range batch {
			var err error
			if results[i], err = runSaved(tx, gw, "w"+strconv.Itoa(i)); err != nil {
				return err
			}
		}
		return nil
	})
	for i, gw := range batch {
		if err != nil && results[i].panicked == nil {
			results[i].err = err
		}
		gw.result <- results[i]
	}
}

// runSaved runs one write under a savepoint and rolls back to it if the
// write fails. The statements run without the caller's context: cancelling
// one would interrupt whatever the connection runs then, another caller's
// write perhaps. err is set when the transaction cannot go on.
func runSaved(tx *gorm.DB, gw *groupWrite, name string) (res groupResult, err error) {
	if err := gw.ctx.Err(); err != nil {
		return groupResult{err: err}, nil
	}
	if err := tx.SavePoint(name).Error; err != nil {
		return groupResult{}, fmt.Errorf("savepoint: %w", err)
	}
	func() {
		defer func() { res.panicked = recover() }()
		res.err = gw.fn(tx)
	}()
	if res.err != nil || res.panicked != nil {
		if err := tx.RollbackTo(name).Error; err != nil {
			return res, fmt.Errorf("roll back a failed write: %w", err)
		}
	}
	if err := tx.Exec("RELEASE SAVEPOINT " + name).Error; err != nil {
		return res, fmt.Errorf("release savepoint: %w", err)
	}
	return res, nil
}

func (g *groupCommit) close() {
	select {
	case <-g.stop:
	default:
		close(g.stop)
	}
	<-g.done
}

// inGroup runs fn as one write of a shared transaction on SQLite (see
// groupCommit), in a transaction of its own on PostgreSQL, which has
// writers enough.
func (d *DB) inGroup(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if d.group == nil {
		return d.W.WithContext(ctx).Transaction(fn)
	}
	return d.group.write(ctx, fn)
}
