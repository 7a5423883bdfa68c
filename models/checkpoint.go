package models

import (
	"database/sql"
	"sync"
	"time"
)

// checkpointer copies the WAL back into the database file in the
// background. Left to itself, SQLite checkpoints inside the commit that
// takes the WAL past 1,000 pages, with an fsync: that write, and every one
// queued behind it for the single writer, waits. The writer connection
// therefore has automatic checkpoints off (writes.go), and this runs a
// passive checkpoint, which never blocks writers or readers, every tick.
type checkpointer struct {
	db    *sql.DB
	stop  chan struct{}
	done  chan struct{}
	close func() error // once: DB.Close may be called twice
}

const checkpointEvery = time.Second

func startCheckpointer(dsn string) (*checkpointer, error) {
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	c := &checkpointer{db: db, stop: make(chan struct{}), done: make(chan struct{})}
	c.close = sync.OnceValue(c.finish)
	go c.run()
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

// checkpoint may find the database busy; what it could not copy is copied
// at a later tick.
func (c *checkpointer) checkpoint() {
	c.db.Exec("PRAGMA wal_checkpoint(PASSIVE)")
}

// finish checkpoints once more, so that a short command leaves no WAL
// behind for the next one to copy.
func (c *checkpointer) finish() error {
	close(c.stop)
	<-c.done
	c.checkpoint()
	return c.db.Close()
}
