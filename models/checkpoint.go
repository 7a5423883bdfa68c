package models

import (
	"context"
	"database/sql"
	"strconv"
	"sync"
	"time"
)

// checkpointer copies the WAL back into the database file in the
// background. Left to itself, SQLite checkpoints inside the commit that
// takes the WAL past 1,000 pages, with an fsync: that write, and every one
// queued behind it for the single writer, waits. The writer connection
// therefore has automatic checkpoints off (writes.go), and this runs a
// passive checkpoint, which never blocks writers or readers, every tick.
//
// Under sustained writes a passive checkpoint never catches up: frames are
// appended while it copies, so the WAL is never all copied at a moment
// the writer could start it over, and it grows without bound (half a
// gigabyte in 15 s of item updates), making every page lookup slower. A
// large WAL is therefore started over in the writer's turn: at once when
// a passive checkpoint copied it all, so writes wait only for readers
// still on it to finish; past walLimit whatever is left, so writes also
// wait for the copy of what the passive checkpoints could not.
type checkpointer struct {
	db     *sql.DB
	path   string // the database file
	writer *writerPool
	// restartAbove and walLimit are in pages.
	restartAbove, walLimit int
	stop                   chan struct{}
	done                   chan struct{}
	close                  func() error // once: DB.Close may be called twice
}

const (
	// Under sustained writes the WAL is started over at every tick, and
	// each restart holds the writer for its last copy and two syncs; all
	// writes in flight wait for it. Small, frequent restarts kept item
	// updates' p99 at 31-34 ms, in runs of updates alone, where restarts
	// every second past 16 MB made 39-54 (docs/benchmarks.md).
	checkpointEvery = 250 * time.Millisecond
	// 4 MB and 256 MB of 4 KB pages.
	defaultRestartAbove = 1024
	defaultWALLimit     = 65536
	// catchUpTo is the backlog, in pages, a passive checkpoint is repeated
	// down to.
	catchUpTo = 512
	// readerWait bounds how long the restart waits, holding the
	// writer's turn, for readers still on the old WAL; it tries again at a
	// later tick.
	readerWait  = 50 * time.Millisecond
	restartPoll = 200 * time.Microsecond
	// Rounds of copy and sync before the restart go on, up to maxRounds,
	// until one takes less than quickRound: what a round leaves to the
	// next is what was written while it ran.
	maxRounds  = 8
	quickRound = 5 * time.Millisecond
)

func startCheckpointer(path, dsn string, writer *writerPool) (*checkpointer, error) {
	c, err := newCheckpointer(path, dsn, writer)
	if err != nil {
		return nil, err
	}
	go c.run()
	return c, nil
}

func newCheckpointer(path, dsn string, writer *writerPool) (*checkpointer, error) {
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	c := &checkpointer{db: db, path: path, writer: writer, restartAbove: defaultRestartAbove, walLimit: defaultWALLimit,
		stop: make(chan struct{}), done: make(chan struct{})}
	c.close = sync.OnceValue(c.finish)
	return c, nil
}

func (c *checkpointer) run() {
	defer close(c.done)
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-tick.C:
			c.checkpoint()
		}
	}
}

// checkpoint copies what it can without blocking anyone, a few times while
// writes keep adding to it, then starts a large WAL over. The database may
// be busy; what is left is copied at a later tick.
func (c *checkpointer) checkpoint() {
	log, copied := c.catchUp(catchUpTo)
	if log >= c.walLimit || (log >= c.restartAbove && log == copied) {
		c.restartInWritersTurn()
	}
}

// catchUp runs passive checkpoints, a few at most, until no more than
// backlog pages are left to copy, and reports the WAL's size and how much
// of it is copied.
func (c *checkpointer) catchUp(backlog int) (log, copied int) {
	for range 3 {
		var err error
		if log, copied, err = c.run1("PASSIVE"); err != nil || log-copied <= backlog {
			break
		}
	}
	return log, copied
}

// restartInWritersTurn starts the WAL over while no write can add to it.
// Everything the restart would do in the writer's turn is done before,
// outside it, as far as it can be: copy the WAL back, then sync the WAL
// and the database file (passive copies leave their pages unsynced, and so
// are commits under synchronous=NORMAL), in rounds, since writes go on
// meanwhile, until a round is quick. The turn is then left with the copy
// and the two syncs of the last round's writes. Under item updates on a
// million items, rounds went 130, 50, 30, 10 ms, and the turn took 10-19
// ms where it took 15-30 after two rounds, and 50-150 after none.
func (c *checkpointer) restartInWritersTurn() {
	for range maxRounds {
		start := time.Now()
		c.catchUp(catchUpTo / 4)
		syncFile(c.path + "-wal")
		syncFile(c.path)
		if time.Since(start) < quickRound {
			break
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), checkpointEvery)
	defer cancel()
	done, err := c.writer.wait(ctx)
	if err != nil {
		return
	}
	defer done()
	c.restart(readerWait)
}

// restart starts the WAL over once no reader is left on it, trying again
// every restartPoll for up to wait, and reports whether it did. SQLite's
// own busy handler would sleep 1, 2, 5, 10 ms… between tries, for readers
// that finish in well under one.
func (c *checkpointer) restart(wait time.Duration) bool {
	deadline := time.Now().Add(wait)
	for {
		busy, _, _, err := c.runWith("RESTART", 0)
		if err != nil {
			return false
		}
		if !busy {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(restartPoll)
	}
}

// run1 runs one checkpoint, waiting up to readerWait for readers, and
// reports the WAL's size and how much of it is copied, in pages.
func (c *checkpointer) run1(mode string) (log, copied int, err error) {
	_, log, copied, err = c.runWith(mode, readerWait)
	return log, copied, err
}

// runWith runs one checkpoint with a busy timeout; busy says it could not
// do all that mode asks because of readers (or, for PASSIVE, a writer).
func (c *checkpointer) runWith(mode string, timeout time.Duration) (busy bool, log, copied int, err error) {
	ctx := context.Background()
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return false, 0, 0, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = "+strconv.Itoa(int(timeout.Milliseconds()))); err != nil {
		return false, 0, 0, err
	}
	var b int
	err = conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint("+mode+")").Scan(&b, &log, &copied)
	return b != 0, log, copied, err
}

// finish checkpoints once more, so that a short command leaves no WAL
// behind for the next one to copy.
func (c *checkpointer) finish() error {
	close(c.stop)
	<-c.done
	c.run1("TRUNCATE")
	return c.db.Close()
}
