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
// fake clock, and nothing in between. The pass only composes; the sender,
// woken by the queueing (its poll is an hour), sends.
func TestScheduleWiring(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	clock := clockwork.NewFakeClockAt(monday)
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	sched, err := jobs.New(e.db, log, gocron.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	rem := e.reminder()
	tr := rem.Transport
	rem.Transport = nil // a pass that tried to send would find no transport
	sender := &notify.Sender{Outbox: rem.Outbox, Transport: tr, Log: log, Poll: time.Hour}
	done := make(chan struct{})
	go func() { defer close(done); sender.Run(ctx) }()
	defer func() { cancel(); <-done }()
	if err := sched.Every("reminders", notify.Interval, notify.Pass(ctx, rem, log)); err != nil {
		t.Fatal(err)
	}
	sched.Start(ctx)
	defer sched.Stop()
	waitFor(t, func() bool { return logs.passes() == 1 })
	waitFor(t, func() bool { return len(e.smtp.Mail()) == 3 })
	clock.Advance(notify.Interval - time.Second)
	time.Sleep(50 * time.Millisecond)
	if logs.passes() != 1 {
		t.Fatalf("ran before the interval was over")
	}
	clock.Advance(time.Second)
	waitFor(t, func() bool { return logs.passes() == 2 })
	if n := len(e.smtp.Mail()); n != 3 {
		t.Fatalf("the second pass sent %d mails in all, want the first 3 only", n)
	}
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
