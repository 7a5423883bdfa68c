package ghsync_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/amendsdev/amends/sync/ghfake"
	"github.com/amendsdev/amends/sync/ghsync"
)

// TestAsRateLimited runs go-github against each way the fake refuses and
// checks what the sync is told to do.
func TestAsRateLimited(t *testing.T) {
	forbidden := func(w http.ResponseWriter, _ *http.Request) bool {
		w.Header().Set("X-RateLimit-Remaining", "4000")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"message":"Resource not accessible by integration"}`)
		return true
	}
	secondaryNoHeader := func(w http.ResponseWriter, _ *http.Request) bool {
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"message":"You have exceeded a secondary rate limit and have been temporarily blocked."}`)
		return true
	}
	retryAtDate := func(fakeNow time.Time) func(w http.ResponseWriter, _ *http.Request) bool {
		return func(w http.ResponseWriter, _ *http.Request) bool {
			w.Header().Set("Retry-After", fakeNow.Add(2*time.Minute).Format(http.TimeFormat))
			w.WriteHeader(http.StatusTooManyRequests)
			return true
		}
	}
	scenarios := []struct {
		name      string
		setup     func(*ghfake.Server)
		limited   bool
		secondary bool
		wait      time.Duration
	}{
		{"secondary 403 with Retry-After", func(f *ghfake.Server) { f.SecondaryRateLimit(90 * time.Second) }, true, true, 90 * time.Second},
		{"429 with Retry-After", func(f *ghfake.Server) { f.TooManyRequests(30 * time.Second) }, true, true, 30 * time.Second},
		{"429 with a date", func(f *ghfake.Server) { f.OnRequest(retryAtDate(f.Clock().Now())) }, true, true, 2 * time.Minute},
		{"secondary message alone", func(f *ghfake.Server) { f.OnRequest(secondaryNoHeader) }, true, true, time.Minute},
		{"primary budget spent", func(f *ghfake.Server) { f.SetRateLimit(5000, 0) }, true, false, time.Hour},
		{"403 for lack of access", func(f *ghfake.Server) { f.OnRequest(forbidden) }, false, false, 0},
		{"server error", func(f *ghfake.Server) { f.FailNext(1, http.StatusInternalServerError) }, false, false, 0},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			fake := ghfake.New(t)
			fake.CreateRepo("acme/infra")
			sc.setup(fake)
			now := fake.Clock().Now()
			_, _, err := clientFor(t, fake, ghsync.Config{}).Issues.ListByRepo(context.Background(), "acme", "infra", nil)
			if err == nil {
				t.Fatal("no error")
			}
			got, ok := ghsync.AsRateLimited(err, now)
			if ok != sc.limited {
				t.Fatalf("limited = %v for %v", ok, err)
			}
			if ok && (got.Secondary != sc.secondary || got.RetryIn(now) != sc.wait) {
				t.Errorf("got %+v, wait %v; want secondary %v, wait %v", got, got.RetryIn(now), sc.secondary, sc.wait)
			}
		})
	}
}

// TestGoGithubLocalRefusal covers the error go-github returns without asking
// GitHub once it has seen the budget spent.
func TestGoGithubLocalRefusal(t *testing.T) {
	fake := ghfake.New(t)
	fake.CreateRepo("acme/infra")
	fake.SetRateLimit(5000, 1)
	c := clientFor(t, fake, ghsync.Config{})
	ctx := context.Background()
	if _, _, err := c.Issues.ListByRepo(ctx, "acme", "infra", nil); err != nil {
		t.Fatalf("the last request of the budget: %v", err)
	}
	_, _, err := c.Issues.ListByRepo(ctx, "acme", "infra", nil)
	var local *github.RateLimitError
	if !errors.As(err, &local) || fake.Stats().Requests != 1 {
		t.Fatalf("err = %v after %d requests", err, fake.Stats().Requests)
	}
	now := fake.Clock().Now()
	if got, ok := ghsync.AsRateLimited(err, now); !ok || got.Secondary || got.RetryIn(now) != time.Hour {
		t.Errorf("got %+v, %v", got, ok)
	}
	if _, ok := ghsync.AsRateLimited(fmt.Errorf("poll: %w", &ghsync.ErrRateLimited{Until: now}), now); !ok {
		t.Error("a wrapped ErrRateLimited was not recognised")
	}
}

func TestRateGuard(t *testing.T) {
	fake := ghfake.New(t)
	fake.CreateRepo("acme/infra")
	clock := fake.Clock()
	guard := ghsync.NewRateGuard(clock.Now)
	c := clientFor(t, fake, ghsync.Config{Limits: guard})
	ctx := context.Background()
	list := func() { _, _, _ = c.Issues.ListByRepo(ctx, "acme", "infra", nil) }
	reset := clock.Now().Add(time.Hour)
	scenarios := []struct {
		name    string
		act     func()
		reserve int
		until   time.Time // zero: allowed
	}{
		{"before any response", func() {}, 100, time.Time{}},
		{"budget above the reserve", func() { fake.SetRateLimit(5000, 102); list() }, 100, time.Time{}},
		{"budget down to the reserve stops a poll", list, 100, reset},
		{"but not a write", func() {}, 0, time.Time{}},
		{"secondary limit stops everything", func() { fake.SecondaryRateLimit(time.Minute); list() }, 0, clock.Now().Add(time.Minute)},
		{"until Retry-After has passed", func() { clock.Advance(time.Minute) }, 0, time.Time{}},
		{"a new window lifts the reserve stop", func() { clock.Set(reset) }, 100, time.Time{}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			sc.act()
			err := guard.Check(sc.reserve)
			var limited *ghsync.ErrRateLimited
			switch {
			case sc.until.IsZero() && err != nil:
				t.Errorf("Check = %v, want nil", err)
			case !sc.until.IsZero() && (!errors.As(err, &limited) || !limited.Until.Equal(sc.until)):
				t.Errorf("Check = %v, want a limit until %s", err, sc.until)
			}
		})
	}
	remaining, gotReset, ok := guard.Remaining()
	if !ok || remaining != 100 || !gotReset.Equal(reset) {
		t.Errorf("Remaining = %d, %s, %v", remaining, gotReset, ok)
	}
}

func TestRateGuardIgnoresOtherResources(t *testing.T) {
	guard := ghsync.NewRateGuard(nil)
	h := http.Header{}
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10))
	h.Set("X-RateLimit-Resource", "search")
	guard.Observe(&http.Response{StatusCode: http.StatusOK, Header: h})
	if err := guard.Check(0); err != nil {
		t.Errorf("the search budget stopped core requests: %v", err)
	}
}
