package server

import (
	"context"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

// fakeCounts counts on a clock of its own: each count moves it on by took,
// then waits for release if that is set. Each time is told on nows if set.
type fakeCounts struct {
	mu      sync.Mutex
	version int64
	clock   time.Time
	took    time.Duration
	release chan struct{}
	nows    chan struct{}
}

func (f *fakeCounts) set(version int64, release, nows chan struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.version, f.release, f.nows = version, release, nows
}

// source counts Critical as the version it counted at.
func (f *fakeCounts) source() countSource {
	return countSource{
		version: func(context.Context) int64 {
			f.mu.Lock()
			defer f.mu.Unlock()
			return f.version
		},
		now: func() time.Time {
			f.mu.Lock()
			defer f.mu.Unlock()
			if f.nows != nil {
				f.nows <- struct{}{}
			}
			return f.clock
		},
		count: func(context.Context, models.Date) ([]models.CustomerAttention, error) {
			f.mu.Lock()
			v, release := f.version, f.release
			f.clock = f.clock.Add(f.took)
			f.mu.Unlock()
			if release != nil {
				<-release
			}
			return []models.CustomerAttention{{Critical: int(v)}}, nil
		},
	}
}

var (
	countsDay = models.DateOf(time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC))
	waitOver  = func() <-chan time.Time { c := make(chan time.Time); close(c); return c }()
)

func getCounts(t *testing.T, cc *countsCache, f *fakeCounts, waited <-chan time.Time) (critical int, stale bool) {
	t.Helper()
	run, stale, err := cc.get(context.Background(), f.source(), countsDay, waited)
	if err != nil {
		t.Fatal(err)
	}
	return run.counts[0].Critical, stale
}

func TestSlowCountsServeThePreviousWhileRecounting(t *testing.T) {
	f := &fakeCounts{version: 1, clock: time.Date(2026, 6, 10, 9, 0, 0, 0, time.UTC), took: time.Second}
	var cc countsCache
	if n, stale := getCounts(t, &cc, f, nil); n != 1 || stale {
		t.Fatalf("first counts: version %d, stale %v; want 1, fresh", n, stale)
	}
	release := make(chan struct{})
	f.set(2, release, nil)
	if n, stale := getCounts(t, &cc, f, waitOver); n != 1 || !stale {
		t.Fatalf("while recounting: version %d, stale %v; want the previous (1), stale", n, stale)
	}
	close(release)
	if n, stale := getCounts(t, &cc, f, nil); n != 2 || stale {
		t.Fatalf("after the recount: version %d, stale %v; want 2, fresh", n, stale)
	}
}

func TestFastCountsAreAlwaysWaitedFor(t *testing.T) {
	f := &fakeCounts{version: 1, clock: time.Date(2026, 6, 10, 9, 0, 0, 0, time.UTC), took: time.Millisecond}
	var cc countsCache
	getCounts(t, &cc, f, nil)
	release, nows := make(chan struct{}), make(chan struct{}, 10)
	f.set(2, release, nows)
	go func() {
		// The recount asks the time as it starts, the viewer once its wait
		// is over: only then may the recount end.
		<-nows
		<-nows
		close(release)
	}()
	if n, stale := getCounts(t, &cc, f, waitOver); n != 2 || stale {
		t.Fatalf("after a write: version %d, stale %v; want 2, fresh", n, stale)
	}
}

func TestUseStale(t *testing.T) {
	now := time.Date(2026, 6, 10, 9, 0, 0, 0, time.UTC)
	slow := &countRun{today: countsDay, at: now.Add(-10 * time.Second), took: time.Second}
	for _, c := range []struct {
		name string
		last *countRun
		want bool
	}{
		{"slow, recent, same day", slow, true},
		{"no counts yet", nil, false},
		{"another day", &countRun{today: countsDay.AddDays(-1), at: slow.at, took: slow.took}, false},
		{"too old", &countRun{today: countsDay, at: now.Add(-countsMaxAge - time.Second), took: slow.took}, false},
		{"fast", &countRun{today: countsDay, at: slow.at, took: countsWait}, false},
	} {
		if got := useStale(c.last, countsDay, now); got != c.want {
			t.Errorf("%s: useStale = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestStartPageSaysWhenCountsAreNotFresh: while a slow recount runs, the
// page shows the previous counts, says when they were taken, and asks not
// to be kept.
func TestStartPageSaysWhenCountsAreNotFresh(t *testing.T) {
	f := testdb.NewFixture(t, testdb.SQLite(t))
	now := time.Date(2026, 6, 10, 9, 30, 5, 0, time.UTC)
	f.Store.SetClock(func() time.Time { return now })
	s, err := New(Config{}, f.Store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	today := f.Store.Today()
	at := now.Add(-5 * time.Second)
	cc := &s.attentionCache.counts
	cc.last = &countRun{today: today, at: at, took: time.Second,
		counts: []models.CustomerAttention{{CustomerID: f.A.ID, Name: "Acme", Slug: "acme", OverdueCritical: 7}}}
	// A recount that covers every request and never ends.
	cc.running = &countRun{version: math.MaxInt64, today: today, done: make(chan struct{})}

	token, _, err := f.Store.CreateSession(context.Background(), f.Admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(&http.Cookie{Name: "amends_session", Value: token})
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("start page: status %d", rec.Code)
	}
	if want := `Counts as of <time datetime="2026-06-10T09:30:00Z">09:30:00 UTC</time>`; !strings.Contains(body, want) {
		t.Errorf("start page does not say %q:\n%s", want, body)
	}
	if !strings.Contains(body, `overdue=true&amp;priority=P0,P1">7<`) {
		t.Errorf("start page does not show the previous counts")
	}
	if got := rec.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", got)
	}
	// Nor does the read cache keep it: the next ask renders again.
	again := httptest.NewRecorder()
	s.Handler().ServeHTTP(again, req)
	if again.Header().Get("X-Cache") == "hit" {
		t.Errorf("a page with counts that are not fresh was kept in the read cache")
	}

	// The customers page shows the same counts, and says so too.
	req = httptest.NewRequest(http.MethodGet, "/customers", nil)
	req.AddCookie(&http.Cookie{Name: "amends_session", Value: token})
	rec = httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if body := rec.Body.String(); rec.Code != http.StatusOK || !strings.Contains(body, "Counts as of") ||
		rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("customers page with counts that are not fresh: status %d, Cache-Control %q:\n%s",
			rec.Code, rec.Header().Get("Cache-Control"), body)
	}
}
