package jobs_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/amendsdev/amends/jobs"
	"github.com/amendsdev/amends/models/testdb"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// replica is one process's view: its own pool and elector.
type replica struct {
	db *database.DB
	el *jobs.Elector
}

func newReplica(t *testing.T, url string) replica {
	t.Helper()
	db, err := database.Open(database.OpenConfig{DatabaseURL: url})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sqlDB, err := db.W.DB()
	if err != nil {
		t.Fatal(err)
	}
	return replica{db: db, el: jobs.NewElector(sqlDB, jobs.LeaderLockKey, quiet)}
}

// waitBackendGone waits for a terminated backend to exit: termination is
// only signalled, and the backend's locks go with it a moment later.
func waitBackendGone(t *testing.T, db *database.DB, pid int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		if err := db.W.Raw("SELECT count(*) FROM pg_stat_activity WHERE pid = ?", pid).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("backend %d still there 10 s after it was terminated", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// leaderPID is the backend that holds the leader lock, as PostgreSQL sees it.
func leaderPID(t *testing.T, db *database.DB) int {
	t.Helper()
	var pid int
	err := db.W.Raw(`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
		AND classid::bigint = (?::bigint >> 32) AND objid::bigint = (?::bigint & 4294967295)`,
		jobs.LeaderLockKey, jobs.LeaderLockKey).Scan(&pid).Error
	if err != nil || pid == 0 {
		t.Fatalf("find the leader's backend: pid %d, err %v", pid, err)
	}
	return pid
}

// TestElectorFailover: of two replicas one leads; when the leader's
// connection is killed, it steps down at its next election and the other
// takes over.
func TestElectorFailover(t *testing.T) {
	url := testdb.PostgresURL(t)
	ctx := context.Background()
	a, b := newReplica(t, url), newReplica(t, url)

	if err := a.el.IsLeader(ctx); err != nil {
		t.Fatalf("first replica should lead: %v", err)
	}
	if err := b.el.IsLeader(ctx); !errors.Is(err, jobs.ErrNotLeader) {
		t.Fatalf("second replica: want ErrNotLeader, got %v", err)
	}
	if err := a.el.IsLeader(ctx); err != nil {
		t.Fatalf("leader lost the lead without cause: %v", err)
	}

	var killed bool
	pid := leaderPID(t, b.db)
	if err := b.db.W.Raw("SELECT pg_terminate_backend(?)", pid).Scan(&killed).Error; err != nil || !killed {
		t.Fatalf("terminate the leader's backend: %v %v", killed, err)
	}
	waitBackendGone(t, b.db, pid)
	if err := b.el.IsLeader(ctx); err != nil {
		t.Fatalf("second replica should take over once the lock is free: %v", err)
	}
	if err := a.el.IsLeader(ctx); !errors.Is(err, jobs.ErrNotLeader) {
		t.Fatalf("old leader with a dead connection: want ErrNotLeader, got %v", err)
	}
	if a.el.Leading() || !b.el.Leading() {
		t.Fatalf("leading: a %v, b %v", a.el.Leading(), b.el.Leading())
	}

	b.el.Resign()
	if err := a.el.IsLeader(ctx); err != nil {
		t.Fatalf("after the leader resigns the other should lead: %v", err)
	}
}

// TestSQLiteHasNoElection: on SQLite the scheduler runs every job itself.
func TestSQLiteHasNoElection(t *testing.T) {
	s, err := jobs.New(testdb.SQLite(t), quiet)
	if err != nil {
		t.Fatal(err)
	}
	if s.Elector != nil {
		t.Fatal("SQLite scheduler has an elector")
	}
}
