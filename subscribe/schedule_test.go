package subscribe_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jonboulle/clockwork"

	"github.com/amendsdev/amends/jobs"
	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/subscribe"
)

// TestScheduleWiring: a pass at start, the next one Interval later on a
// fake clock, and nothing in between.
func TestScheduleWiring(t *testing.T) {
	db := testdb.SQLite(t)
	f, j, rc, now := setup(t, db)
	clock := clockwork.NewFakeClockAt(now)
	f.Store.SetClock(clock.Now)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	sched, err := jobs.New(db, log, gocron.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := sched.Every("subscriptions", subscribe.Interval, subscribe.Pass(ctx, j, log)); err != nil {
		t.Fatal(err)
	}
	sched.Start(ctx)
	defer sched.Stop()
	waitFor(t, func() bool { return attempted(ctx, f) })
	first := rc.count()
	rc.set(http.StatusOK)
	clock.Advance(subscribe.Interval - time.Second)
	time.Sleep(50 * time.Millisecond)
	if rc.count() != first {
		t.Fatal("ran before the interval was over")
	}
	clock.Advance(time.Second)
	waitFor(t, func() bool {
		log, err := f.Store.WebhookLog(ctx, f.CustAdminA, 1)
		return err == nil && len(log) == 1 && log[0].Status == models.DeliveryDelivered
	})
}

// attempted says whether every delivery has been tried: the pass is over.
func attempted(ctx context.Context, f *testdb.Fixture) bool {
	log, err := f.Store.WebhookLog(ctx, f.CustAdminA, 500)
	if err != nil || len(log) == 0 {
		return false
	}
	for _, d := range log {
		if d.Attempts == 0 {
			return false
		}
	}
	return true
}

func (r *receiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.requests
}

func (r *receiver) set(status int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status = status
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
