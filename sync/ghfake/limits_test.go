package ghfake_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/amendsdev/amends/sync/ghfake"
)

func TestETagAndNotModified(t *testing.T) {
	s := ghfake.New(t)
	n := s.CreateIssue(testRepo, ghfake.NewIssue{Title: "x"})
	u := s.URL + "/repos/acme/infra/issues"
	auth := func(token string) http.Header { return http.Header{"Authorization": {"Bearer " + token}} }
	first := rawGet(t, u, auth("a"))
	etag := first.Header.Get("ETag")
	if len(etag) != 66 || etag[0] != '"' {
		t.Fatalf("ETag = %q, want a strong quoted hash", etag)
	}
	withTag := func(token, tag string) http.Header {
		h := auth(token)
		h.Set("If-None-Match", tag)
		return h
	}
	scenarios := []struct {
		name    string
		header  http.Header
		status  int
		counted int
	}{
		{"same token, same body", withTag("a", etag), http.StatusNotModified, 0},
		{"weak form and a list", withTag("a", `"other", W/`+etag), http.StatusNotModified, 0},
		{"another token has another ETag", withTag("b", etag), http.StatusOK, 1},
		{"no If-None-Match", auth("a"), http.StatusOK, 1},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			before := s.Stats()
			resp := rawGet(t, u, sc.header)
			body, _ := io.ReadAll(resp.Body)
			after := s.Stats()
			if resp.StatusCode != sc.status || after.Counted-before.Counted != sc.counted {
				t.Errorf("status %d counted %d, want %d and %d", resp.StatusCode, after.Counted-before.Counted, sc.status, sc.counted)
			}
			if sc.status == http.StatusNotModified && (len(body) != 0 || resp.Header.Get("X-RateLimit-Remaining") == "") {
				t.Errorf("304 with body %q or without rate headers", body)
			}
		})
	}
	t.Run("a change to the issue changes the ETag", func(t *testing.T) {
		s.SetTitle(testRepo, n, "y")
		if resp := rawGet(t, u, withTag("a", etag)); resp.StatusCode != http.StatusOK {
			t.Errorf("status = %d, want 200", resp.StatusCode)
		}
	})
}

func TestRateLimitHeaders(t *testing.T) {
	s := ghfake.New(t)
	s.CreateRepo(testRepo)
	reset := s.Clock().Now().Add(time.Hour).Unix()
	for i := 1; i <= 2; i++ {
		resp := rawGet(t, s.URL+"/repos/acme/infra/issues", nil)
		want := map[string]string{
			"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": strconv.Itoa(5000 - i),
			"X-RateLimit-Used": strconv.Itoa(i), "X-RateLimit-Reset": strconv.FormatInt(reset, 10),
			"X-RateLimit-Resource": "core",
		}
		for k, v := range want {
			if got := resp.Header.Get(k); got != v {
				t.Errorf("request %d: %s = %q, want %q", i, k, got, v)
			}
		}
	}
}

func TestPrimaryLimitExhausted(t *testing.T) {
	s := ghfake.New(t)
	s.CreateRepo(testRepo)
	s.SetRateLimit(5000, 1)
	c := client(t, s, "")
	ctx := context.Background()
	if _, _, err := c.Issues.ListByRepo(ctx, "acme", "infra", nil); err != nil {
		t.Fatalf("last allowed request: %v", err)
	}
	_, _, err := c.Issues.ListByRepo(ctx, "acme", "infra", nil)
	var rle *github.RateLimitError
	if !errors.As(err, &rle) || rle.Rate.Remaining != 0 {
		t.Fatalf("err = %v, want *github.RateLimitError", err)
	}
	if got := s.Stats().Requests; got != 1 {
		t.Errorf("go-github should refuse locally after the limit; server saw %d requests", got)
	}
	resp := rawGet(t, s.URL+"/repos/acme/infra/issues", nil)
	if resp.StatusCode != http.StatusForbidden || resp.Header.Get("X-RateLimit-Remaining") != "0" {
		t.Errorf("exhausted: status %d remaining %q", resp.StatusCode, resp.Header.Get("X-RateLimit-Remaining"))
	}
	s.Clock().Advance(time.Hour)
	if resp := rawGet(t, s.URL+"/repos/acme/infra/issues", nil); resp.StatusCode != http.StatusOK || resp.Header.Get("X-RateLimit-Remaining") != "4999" {
		t.Errorf("after reset: status %d remaining %q", resp.StatusCode, resp.Header.Get("X-RateLimit-Remaining"))
	}
}

func TestInjectedFaults(t *testing.T) {
	scenarios := []struct {
		name   string
		inject func(*ghfake.Server)
		check  func(t *testing.T, err error)
	}{
		{"secondary limit is an AbuseRateLimitError", func(s *ghfake.Server) { s.SecondaryRateLimit(90 * time.Second) }, func(t *testing.T, err error) {
			var abuse *github.AbuseRateLimitError
			if !errors.As(err, &abuse) || abuse.GetRetryAfter() != 90*time.Second {
				t.Errorf("err = %#v", err)
			}
		}},
		{"429 is a plain ErrorResponse", func(s *ghfake.Server) { s.TooManyRequests(30 * time.Second) }, func(t *testing.T, err error) {
			var plain *github.ErrorResponse
			if !errors.As(err, &plain) || plain.Response.StatusCode != http.StatusTooManyRequests || plain.Response.Header.Get("Retry-After") != "30" {
				t.Errorf("err = %#v", err)
			}
		}},
		{"server errors", func(s *ghfake.Server) { s.FailNext(1, http.StatusBadGateway) }, func(t *testing.T, err error) {
			if statusOf(err) != http.StatusBadGateway {
				t.Errorf("err = %v", err)
			}
		}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			s := ghfake.New(t)
			s.CreateRepo(testRepo)
			sc.inject(s)
			_, _, err := client(t, s, "").Issues.ListByRepo(context.Background(), "acme", "infra", nil)
			sc.check(t, err)
			if s.Stats().Counted != 0 {
				t.Errorf("a refused request used up rate limit")
			}
		})
	}
}

func TestFaultsEnd(t *testing.T) {
	s := ghfake.New(t)
	s.CreateRepo(testRepo)
	u := s.URL + "/repos/acme/infra/issues"
	s.FailNext(2, http.StatusInternalServerError)
	s.SecondaryRateLimit(time.Minute)
	var statuses []int
	for _, advance := range []time.Duration{0, 0, 59 * time.Second, time.Second} {
		s.Clock().Advance(advance)
		resp := rawGet(t, u, nil)
		statuses = append(statuses, resp.StatusCode)
		if resp.StatusCode == http.StatusForbidden && resp.Header.Get("Retry-After") != "1" {
			t.Errorf("Retry-After = %q, want the 1 second left", resp.Header.Get("Retry-After"))
		}
	}
	want := []int{500, 500, 403, 200}
	for i := range want {
		if statuses[i] != want[i] {
			t.Fatalf("statuses = %v, want %v", statuses, want)
		}
	}
}

func TestRequestHook(t *testing.T) {
	s := ghfake.New(t)
	s.CreateRepo(testRepo)
	var mu sync.Mutex
	var seen []string
	s.OnRequest(func(w http.ResponseWriter, r *http.Request) bool {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, r.Header.Get("Authorization")+" "+r.URL.Path)
		if r.URL.Query().Get("page") == "9" {
			w.WriteHeader(http.StatusTeapot)
			return true
		}
		return false
	})
	c := client(t, s, "/api/v3")
	if _, _, err := c.Issues.ListByRepo(context.Background(), "acme", "infra", nil); err != nil {
		t.Fatal(err)
	}
	_, _, err := c.Issues.ListByRepo(context.Background(), "acme", "infra", &github.IssueListByRepoOptions{ListOptions: github.ListOptions{Page: 9}})
	if statusOf(err) != http.StatusTeapot {
		t.Errorf("err = %v, want the hook's 418", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 2 || seen[0] != "Bearer token-a /repos/acme/infra/issues" {
		t.Errorf("hook saw %q", seen)
	}
	if st := s.Stats(); st.Requests != 2 || st.Counted != 1 {
		t.Errorf("stats = %+v", st)
	}
}
