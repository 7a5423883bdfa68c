package ghsync_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/sync/ghfake"
	"github.com/amendsdev/amends/sync/ghsync"
)

// seed creates n issues in repo, one second apart as people would.
func seed(fake *ghfake.Server, repo string, n int) {
	for range n {
		fake.Clock().Advance(time.Second)
		fake.CreateIssue(repo, ghfake.NewIssue{Title: "action item"})
	}
}

func newPoller(t testing.TB, fake *ghfake.Server) *ghsync.Poller {
	cache := ghsync.NewETagCache(64 << 20)
	return &ghsync.Poller{Client: clientFor(t, fake, ghsync.Config{Cache: cache}), Now: fake.Clock().Now}
}

func TestPollPasses(t *testing.T) {
	fake := ghfake.New(t)
	seed(fake, "acme/infra", 150)
	fake.CreatePullRequest("acme/infra", ghfake.NewIssue{Title: "a pull request"})
	newest := fake.Clock().Now()
	p := newPoller(t, fake)
	var since time.Time
	scenarios := []struct {
		name        string
		change      func()
		issues      int
		requests    int
		counted     int
		notModified bool
		nextSince   time.Time
	}{
		{"first pass lists everything, pull requests left out", func() {}, 150, 2, 2, false, newest},
		{"first pass at the new since", func() {}, 1, 1, 1, false, newest},
		{"nothing changed costs nothing", func() {}, 1, 1, 0, true, newest},
		{"a closed issue costs one request", func() { fake.Clock().Advance(time.Minute); fake.CloseIssue("acme/infra", 7, "") }, 2, 1, 1, false, newest},
		{"since stays, so the next pass is free", func() {}, 2, 1, 0, true, newest},
		{"a comment moves updated_at too", func() { fake.Clock().Advance(time.Minute); fake.AddComment("acme/infra", 9, "octo", "+1") }, 3, 1, 1, false, newest},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			sc.change()
			fake.ResetStats()
			got, err := p.Poll(context.Background(), "acme", "infra", since)
			if err != nil {
				t.Fatal(err)
			}
			st := fake.Stats()
			if len(got.Issues) != sc.issues || got.Requests != sc.requests || st.Requests != sc.requests || st.Counted != sc.counted || got.NotModified != sc.notModified {
				t.Errorf("issues %d, requests %d (server %d), counted %d, not modified %v", len(got.Issues), got.Requests, st.Requests, st.Counted, got.NotModified)
			}
			if !got.NextSince.Equal(sc.nextSince) {
				t.Errorf("next since %s, want %s", got.NextSince, sc.nextSince)
			}
			since = got.NextSince
		})
	}
}

func TestPollAdvancesOnceTheAnswerIsLong(t *testing.T) {
	fake := ghfake.New(t)
	seed(fake, "acme/infra", 60)
	p := newPoller(t, fake)
	ctx := context.Background()
	first, err := p.Poll(ctx, "acme", "infra", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= 60; n++ {
		fake.Clock().Advance(time.Second)
		fake.SetTitle("acme/infra", n, "renamed")
	}
	got, err := p.Poll(ctx, "acme", "infra", first.NextSince)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Issues) != 60 || !got.NextSince.Equal(fake.Clock().Now()) {
		t.Errorf("issues %d, next since %s, want %s", len(got.Issues), got.NextSince, fake.Clock().Now())
	}
}

func TestPollStops(t *testing.T) {
	scenarios := []struct {
		name    string
		setup   func(*testing.T, *ghfake.Server, *ghsync.Poller)
		sent    int
		limited bool
	}{
		{"the reserve is reached", func(t *testing.T, f *ghfake.Server, p *ghsync.Poller) {
			f.SetRateLimit(5000, 11)
			p.Guard.Observe(probe(t, f))
		}, 0, true},
		{"a secondary limit", func(_ *testing.T, f *ghfake.Server, _ *ghsync.Poller) { f.SecondaryRateLimit(time.Minute) }, 1, true},
		{"a 429", func(_ *testing.T, f *ghfake.Server, _ *ghsync.Poller) { f.TooManyRequests(time.Minute) }, 1, true},
		{"GitHub is down", func(_ *testing.T, f *ghfake.Server, _ *ghsync.Poller) { f.FailNext(1, http.StatusServiceUnavailable) }, 1, false},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			fake := ghfake.New(t)
			seed(fake, "acme/infra", 3)
			guard := ghsync.NewRateGuard(fake.Clock().Now)
			p := &ghsync.Poller{Client: clientFor(t, fake, ghsync.Config{Limits: guard}), Guard: guard, Reserve: 10, Now: fake.Clock().Now}
			sc.setup(t, fake, p)
			fake.ResetStats()
			got, err := p.Poll(context.Background(), "acme", "infra", time.Time{})
			var limited *ghsync.ErrRateLimited
			if err == nil || errors.As(err, &limited) != sc.limited || len(got.Issues) != 0 {
				t.Errorf("err = %v, changes %+v", err, got)
			}
			if !sc.limited && !strings.Contains(err.Error(), "acme/infra") {
				t.Errorf("error %q does not name the repository", err)
			}
			if fake.Stats().Requests != sc.sent {
				t.Errorf("sent %d requests, want %d", fake.Stats().Requests, sc.sent)
			}
		})
	}
}

// probe fetches a response carrying the fake's current rate-limit headers.
func probe(t *testing.T, f *ghfake.Server) *http.Response {
	t.Helper()
	resp, err := http.Get(f.URL + "/user")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// TestPollCostAtScale measures one pass over 10,000 linked issues in 50
// repositories, when nothing changed and when 1% changed, spread so that
// every repository has a change (the costly case).
func TestPollCostAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 10,000 issues")
	}
	const repos, perRepo = 50, 200
	fake := ghfake.New(t)
	names := make([]string, repos)
	for i := range names {
		names[i] = "acme/service-" + string(rune('a'+i/26)) + string(rune('a'+i%26))
		seed(fake, names[i], perRepo)
	}
	p := newPoller(t, fake)
	since := make([]time.Time, repos)
	pass := func(label string) (issues int) {
		t.Helper()
		fake.ResetStats()
		for i, name := range names {
			owner, repo, _ := strings.Cut(name, "/")
			got, err := p.Poll(context.Background(), owner, repo, since[i])
			if err != nil {
				t.Fatal(err)
			}
			since[i] = got.NextSince
			issues += len(got.Issues)
		}
		st := fake.Stats()
		t.Logf("%-34s %4d requests, %4d counted against the rate limit, %5d issues returned", label, st.Requests, st.Counted, issues)
		return issues
	}
	pass("initial full listing:")
	pass("first pass at the stored since:")
	pass("nothing changed:")
	if st := fake.Stats(); st.Requests != repos || st.Counted != 0 {
		t.Errorf("nothing changed: %d requests, %d counted; want %d and 0", st.Requests, st.Counted, repos)
	}
	fake.Clock().Advance(time.Hour)
	for k := range repos * perRepo / 100 {
		fake.Clock().Advance(time.Second)
		fake.CloseIssue(names[k%repos], 1+(k/repos)*perRepo/2, "completed")
	}
	if n := pass("1% changed:"); n < repos*perRepo/100 {
		t.Errorf("1%% changed: %d issues returned, want at least the %d changed", n, repos*perRepo/100)
	}
	if st := fake.Stats(); st.Requests != repos || st.Counted != repos {
		t.Errorf("1%% changed: %d requests, %d counted; want %d and %d", st.Requests, st.Counted, repos, repos)
	}
	pass("nothing changed after that:")
	if st := fake.Stats(); st.Counted != 0 {
		t.Errorf("after the change: %d counted, want 0", st.Counted)
	}
}
