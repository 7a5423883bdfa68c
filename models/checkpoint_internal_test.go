package models

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"
)

func TestCheckpointsRunOutsideWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "amends.db")
	db, err := Open(OpenConfig{SQLitePath: path})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var auto int
	if err := db.W.Raw("PRAGMA wal_autocheckpoint").Scan(&auto).Error; err != nil {
		t.Fatal(err)
	}
	if auto != 0 {
		t.Fatalf("the writer checkpoints every %d pages itself", auto)
	}
	if err := Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	db.checkpoints.checkpoint()
	// The database file alone, without its WAL, now holds the schema.
	file, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&immutable=1")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	var n int
	if err := file.QueryRow("SELECT count(*) FROM sqlite_master WHERE name = 'schema_migrations'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatal("after the checkpointer's pass the database file still lacks what the WAL holds")
	}
}

// Under writes that never stop, a passive checkpoint never finds the WAL
// all copied, so the WAL would only grow; past its limit, the checkpointer
// starts it over in the writer's turn.
func TestCheckpointsKeepTheWALSmallUnderSustainedWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "amends.db")
	db, err := Open(OpenConfig{SQLitePath: path})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.checkpoints.close() // this test's checkpointer is the only one
	c, err := newCheckpointer(path, "file:"+path+"?_busy_timeout=10000", db.W.Statement.ConnPool.(*writerPool))
	if err != nil {
		t.Fatal(err)
	}
	defer c.db.Close() // never started: nothing to stop
	c.walLimit = 2048
	if err := db.W.Exec("CREATE TABLE filler (id INTEGER PRIMARY KEY, data BLOB)").Error; err != nil {
		t.Fatal(err)
	}
	write := func() error {
		return db.W.Exec("INSERT INTO filler (data) VALUES (randomblob(3000))").Error
	}
	for range c.walLimit {
		if err := write(); err != nil {
			t.Fatal(err)
		}
	}
	stop := make(chan struct{})
	writing := make(chan error, 1)
	go func() {
		for {
			select {
			case <-stop:
				writing <- nil
				return
			default:
				if err := write(); err != nil {
					writing <- err
					return
				}
			}
		}
	}()
	before := walPages(t, c)
	c.checkpoint()
	close(stop)
	if err := <-writing; err != nil {
		t.Fatal(err)
	}
	// The writer starts the WAL over with its next write.
	if err := write(); err != nil {
		t.Fatal(err)
	}
	after := walPages(t, c)
	if before < c.walLimit || after > c.walLimit/2 {
		t.Errorf("WAL of %d pages before the checkpoint under writes, %d after; limit %d", before, after, c.walLimit)
	}
}

// walPages is how many pages the WAL holds, copied or not.
func walPages(t *testing.T, c *checkpointer) int {
	t.Helper()
	log, _, err := c.run1("PASSIVE")
	if err != nil {
		t.Fatal(err)
	}
	return log
}

// A restart waits for a reader still on the WAL, and gives up on one that
// stays longer than it may wait.
func TestRestartWaitsForReadersUpToALimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "amends.db")
	db, err := Open(OpenConfig{SQLitePath: path})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.W.Exec("CREATE TABLE filler (id INTEGER PRIMARY KEY, data BLOB)").Error; err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		hold, wait time.Duration
		restarted  bool
	}{
		{hold: 5 * time.Millisecond, wait: 5 * time.Second, restarted: true},
		{hold: 500 * time.Millisecond, wait: 20 * time.Millisecond, restarted: false},
	}
	for _, tt := range tests {
		if err := db.W.Exec("INSERT INTO filler (data) VALUES (randomblob(3000))").Error; err != nil {
			t.Fatal(err)
		}
		reader := db.R.Begin()
		var n int
		if err := reader.Raw("SELECT COUNT(*) FROM filler").Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		released := make(chan struct{})
		go func() {
			time.Sleep(tt.hold)
			reader.Rollback()
			close(released)
		}()
		start := time.Now()
		restarted := db.checkpoints.restart(tt.wait)
		took := time.Since(start)
		if restarted != tt.restarted {
			t.Errorf("reader held %v, restart waiting up to %v: restarted %v after %v, want %v", tt.hold, tt.wait, restarted, took, tt.restarted)
		}
		if restarted && took < tt.hold {
			t.Errorf("restarted after %v, with a reader on the WAL for %v", took, tt.hold)
		}
		if !restarted && took < tt.wait {
			t.Errorf("restart gave up after %v, before its %v", took, tt.wait)
		}
		<-released
	}
}
