package ghsync_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/amendsdev/amends/sync/ghfake"
	"github.com/amendsdev/amends/sync/ghsync"
)

func TestETagCacheMakesRepeatsFree(t *testing.T) {
	fake := ghfake.New(t)
	fake.CreateIssue("acme/infra", ghfake.NewIssue{Title: "x"})
	cache := ghsync.NewETagCache(1 << 20)
	ctx := context.Background()
	get := func(token string) (string, *http.Response) {
		t.Helper()
		is, resp, err := clientFor(t, fake, ghsync.Config{Token: token, Cache: cache}).Issues.Get(ctx, "acme", "infra", 1)
		if err != nil {
			t.Fatal(err)
		}
		return is.GetTitle(), resp.Response
	}
	scenarios := []struct {
		name, token, title string
		change             func()
		fromCache          bool
		counted            int
	}{
		{"first request fills the cache", "a", "x", func() {}, false, 1},
		{"same request is a free 304", "a", "x", func() {}, true, 0},
		{"another token has its own entry", "b", "x", func() {}, false, 1},
		{"a change is fetched in full", "a", "y", func() { fake.SetTitle("acme/infra", 1, "y") }, false, 1},
		{"and then cached again", "a", "y", func() {}, true, 0},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			sc.change()
			before := fake.Stats().Counted
			title, resp := get(sc.token)
			if title != sc.title || (resp.Header.Get(ghsync.CacheHeader) != "") != sc.fromCache {
				t.Errorf("title %q, cache header %q", title, resp.Header.Get(ghsync.CacheHeader))
			}
			if got := fake.Stats().Counted - before; got != sc.counted {
				t.Errorf("counted %d requests, want %d", got, sc.counted)
			}
			if resp.Header.Get("X-RateLimit-Remaining") == "" {
				t.Error("rate-limit headers lost")
			}
		})
	}
	if st := cache.Stats(); st.Revalidated != 2 || st.Stored != 3 || cache.Len() != 2 {
		t.Errorf("stats %+v, len %d", st, cache.Len())
	}
}

func TestETagCacheKeysHoldNoToken(t *testing.T) {
	fake := ghfake.New(t)
	fake.CreateIssue("acme/infra", ghfake.NewIssue{Title: "x"})
	cache := ghsync.NewETagCache(1 << 20)
	c := clientFor(t, fake, ghsync.Config{Token: "ghp_secret", Cache: cache})
	if _, _, err := c.Issues.Get(context.Background(), "acme", "infra", 1); err != nil {
		t.Fatal(err)
	}
	for _, e := range cache.Snapshot() {
		if strings.Contains(e.Key, "ghp_secret") {
			t.Errorf("key %q holds the token", e.Key)
		}
	}
}

func TestETagCacheStaysWithinItsBound(t *testing.T) {
	fake := ghfake.New(t)
	for range 5 {
		fake.CreateIssue("acme/infra", ghfake.NewIssue{Title: "x"})
	}
	probe := ghsync.NewETagCache(1 << 20)
	c := clientFor(t, fake, ghsync.Config{Cache: probe})
	ctx := context.Background()
	if _, _, err := c.Issues.Get(ctx, "acme", "infra", 1); err != nil {
		t.Fatal(err)
	}
	one := len(probe.Snapshot()[0].Body)
	cache := ghsync.NewETagCache(3*one + one/2) // room for two entries with their headers, not three
	c = clientFor(t, fake, ghsync.Config{Cache: cache})
	for n := 1; n <= 5; n++ {
		if _, _, err := c.Issues.Get(ctx, "acme", "infra", n); err != nil {
			t.Fatal(err)
		}
	}
	snap := cache.Snapshot()
	if len(snap) < 1 || len(snap) > 3 || cache.Stats().Evicted != 5-len(snap) {
		t.Fatalf("kept %d entries, stats %+v", len(snap), cache.Stats())
	}
	if last := snap[len(snap)-1].Key; !strings.Contains(last, "/issues/5") {
		t.Errorf("most recent entry is %q, want issue 5", last)
	}
	tiny := ghsync.NewETagCache(10)
	c = clientFor(t, fake, ghsync.Config{Cache: tiny})
	if _, _, err := c.Issues.Get(ctx, "acme", "infra", 1); err != nil || tiny.Len() != 0 {
		t.Errorf("an entry larger than the cache: err %v, len %d", err, tiny.Len())
	}
}

func TestETagCacheRestoresASnapshot(t *testing.T) {
	fake := ghfake.New(t)
	fake.CreateIssue("acme/infra", ghfake.NewIssue{Title: "x"})
	ctx := context.Background()
	first := ghsync.NewETagCache(1 << 20)
	if _, _, err := clientFor(t, fake, ghsync.Config{Cache: first}).Issues.Get(ctx, "acme", "infra", 1); err != nil {
		t.Fatal(err)
	}
	next := ghsync.NewETagCache(1 << 20)
	next.Restore(first.Snapshot())
	before := fake.Stats().Counted
	is, resp, err := clientFor(t, fake, ghsync.Config{Cache: next}).Issues.Get(ctx, "acme", "infra", 1)
	if err != nil {
		t.Fatal(err)
	}
	if is.GetTitle() != "x" || resp.Header.Get(ghsync.CacheHeader) == "" || fake.Stats().Counted != before {
		t.Errorf("restored cache did not revalidate: %q %v", is.GetTitle(), resp.Header)
	}
}

// TestETagCachePassesThrough checks that writes, and GETs that already ask
// conditionally, reach the server untouched.
func TestETagCachePassesThrough(t *testing.T) {
	fake := ghfake.New(t)
	fake.CreateIssue("acme/infra", ghfake.NewIssue{Title: "x"})
	cache := ghsync.NewETagCache(1 << 20)
	hc := &http.Client{Transport: cache.Wrap(http.DefaultTransport)}
	u := fake.URL + "/repos/acme/infra/issues/1"
	first, err := hc.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	first.Body.Close()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("If-None-Match", first.Header.Get("ETag"))
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("caller's conditional GET: status %d, want the 304 itself", resp.StatusCode)
	}
	post, err := hc.Post(fake.URL+"/repos/acme/infra/issues", "application/json", strings.NewReader(`{"title":"y"}`))
	if err != nil {
		t.Fatal(err)
	}
	post.Body.Close()
	if post.StatusCode != http.StatusCreated || cache.Len() != 1 {
		t.Errorf("POST: status %d, cache len %d", post.StatusCode, cache.Len())
	}
}

func TestETagCacheConcurrentUse(t *testing.T) {
	fake := ghfake.New(t)
	for range 4 {
		fake.CreateIssue("acme/infra", ghfake.NewIssue{Title: "x"})
	}
	cache := ghsync.NewETagCache(1 << 20)
	c := clientFor(t, fake, ghsync.Config{Cache: cache})
	ctx := context.Background()
	for n := 1; n <= 4; n++ {
		if _, _, err := c.Issues.Get(ctx, "acme", "infra", n); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Go(func() {
			is, _, err := c.Issues.Get(ctx, "acme", "infra", i%4+1)
			if err == nil && is.GetNumber() != i%4+1 {
				err = fmt.Errorf("got issue %d for %d", is.GetNumber(), i%4+1)
			}
			errs <- err
		})
	}
	for i := range 10 {
		fake.SetTitle("acme/infra", 1, fmt.Sprint("title ", i)) // new bodies, stored while others read
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := cache.Stats().Revalidated; got < 30 {
		t.Errorf("%d requests answered from the cache, want at least the 30 for unchanged issues", got)
	}
}
