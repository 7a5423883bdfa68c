package notify_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/notify"
	"github.com/amendsdev/amends/notify/smtptest"
)

// TestSenderPollsForOthersMailAndRetries: a sender finds mail it was not
// woken for (queued through another Outbox, as by another replica) at its
// next poll, sends a retry once its backoff has passed on the store's
// clock, and records each message's wait in amends_mail_latency_seconds.
func TestSenderPollsForOthersMailAndRetries(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		var clock atomic.Int64
		clock.Store(monday.UnixNano())
		e.f.Store.SetClock(func() time.Time { return time.Unix(0, clock.Load()) })
		refuse := atomic.Bool{}
		refuse.Store(true)
		e.smtp.Refuse = func(int) error {
			if refuse.Load() {
				return smtptest.TempFailure
			}
			return nil
		}
		reg := prometheus.NewRegistry()
		mine := notify.NewOutbox(e.f.Store)
		metrics, err := notify.NewMetrics(reg, mine)
		if err != nil {
			t.Fatal(err)
		}
		sender := &notify.Sender{Outbox: mine, Transport: e.reminder().Transport, Metrics: metrics,
			Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Poll: 50 * time.Millisecond}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); sender.Run(ctx) }()
		defer func() { cancel(); <-done }()

		other := notify.NewOutbox(e.f.Store) // another replica's: no wake-up reaches this sender
		if _, err := other.Enqueue(ctx, []notify.Email{{To: "a@acme.example", Kind: "test", Period: "1", Subject: "one", Text: "x"}}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, func() bool {
			m, err := other.List(ctx, notify.StatusQueued, 10)
			return err == nil && len(m) == 1 && m[0].Attempts == 1 && m[0].LastError != ""
		})
		refuse.Store(false)
		time.Sleep(200 * time.Millisecond) // polls before the backoff passes send nothing
		if n := len(e.smtp.Mail()); n != 0 {
			t.Fatalf("sent %d before the retry's backoff passed", n)
		}
		clock.Add(int64(61 * time.Second))
		waitFor(t, func() bool { return len(e.smtp.Mail()) == 1 })
		waitFor(t, func() bool { return histogramCount(t, reg) == 1 })
	})
}

func histogramCount(t *testing.T, reg *prometheus.Registry) uint64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == "amends_mail_latency_seconds" {
			h := mf.GetMetric()[0].GetHistogram()
			if h.GetSampleCount() == 1 && h.GetSampleSum() < 61 {
				t.Errorf("latency %v s, want the 61 s the retry waited", h.GetSampleSum())
			}
			return h.GetSampleCount()
		}
	}
	return 0
}
