package notify_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jonboulle/clockwork"

	"github.com/amendsdev/amends/jobs"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/notify"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) passes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Count(s.b.String(), "msg=\"reminder pass\"")
}

// TestScheduleWiring: a pass at start, the next one Interval later on a
// fake clock, and nothing in between.
func TestScheduleWiring(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	clock := clockwork.NewFakeClockAt(monday)
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	sched, err := jobs.New(e.db, log, gocron.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := sched.Every("reminders", notify.Interval, notify.Pass(ctx, e.reminder(), log)); err != nil {
		t.Fatal(err)
	}
	sched.Start(ctx)
	defer sched.Stop()
	waitFor(t, func() bool { return logs.passes() == 1 })
	if n := len(e.smtp.Mail()); n != 3 {
		t.Fatalf("first pass delivered %d", n)
	}
	clock.Advance(notify.Interval - time.Second)
	time.Sleep(50 * time.Millisecond)
	if logs.passes() != 1 {
		t.Fatalf("ran before the interval was over")
	}
	clock.Advance(time.Second)
	waitFor(t, func() bool { return logs.passes() == 2 })
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatal("timed out")
}
