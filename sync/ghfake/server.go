// Package ghfake is an in-process fake of the parts of GitHub's REST API that
// amends uses, for tests that point the real go-github client at it:
//
//	GET   /user
//	GET   /repos/{owner}/{repo}/issues            state, since, sort, direction, per_page, page
//	POST  /repos/{owner}/{repo}/issues            title, body, labels, assignees
//	GET   /repos/{owner}/{repo}/issues/{number}   404 unknown, 410 deleted, 301 transferred
//	PATCH /repos/{owner}/{repo}/issues/{number}   title, body, state, state_reason, labels, assignees
//	GET   /repos/{owner}/{repo}/issues/{number}/comments   since, per_page, page
//	POST  /repos/{owner}/{repo}/issues/{number}/comments
//
// each also under /api/v3/. Answers carry GitHub's issue JSON, Link
// pagination, strong ETags honoured by If-None-Match, and rate-limit headers;
// tests can inject secondary limits, 429s, server errors, or answer any
// request themselves, and change issues directly on a controllable clock.
package ghfake

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// DefaultLogin is the login of the user the fake's API callers act as.
const DefaultLogin = "amends-bot"

// Server is a fake GitHub API. Its URL serves the API both at the root, as
// api.github.com does, and under /api/v3/, as GitHub Enterprise does.
type Server struct {
	// URL is the base URL of the fake, without a trailing slash.
	URL string

	srv   *httptest.Server
	mux   *http.ServeMux
	clock *Clock

	mu     sync.Mutex
	repos  map[string]*repo
	users  map[string]int64
	nextID int64
	login  string
	rate   bucket
	faults faults
	stats  Stats
	hook   func(http.ResponseWriter, *http.Request) bool
}

// New starts a fake GitHub that is closed when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	s := NewServer()
	t.Cleanup(s.Close)
	return s
}

// NewServer starts a fake GitHub; the caller must Close it. Its clock starts
// at the current time, whole seconds, so go-github's own rate-limit
// bookkeeping (which uses the real clock) agrees with the fake's headers.
func NewServer() *Server {
	clock := NewClock(time.Now().Truncate(time.Second))
	s := &Server{
		clock:  clock,
		repos:  map[string]*repo{},
		users:  map[string]int64{},
		nextID: 1000,
		login:  DefaultLogin,
		rate:   newBucket(defaultRateLimit, clock.Now()),
		stats:  Stats{ByPath: map[string]int{}},
	}
	s.mux = s.routes()
	s.srv = httptest.NewServer(s)
	s.URL = s.srv.URL
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// Clock returns the clock that stamps every change and runs rate limits.
func (s *Server) Clock() *Clock { return s.clock }

// SetLogin changes the login that API callers act as (author of created
// issues and comments, closed_by of closed ones).
func (s *Server) SetLogin(login string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.login = login
}

// OnRequest installs a hook that sees every request first, with the
// /api/v3 prefix already removed from its path. When it returns true it has
// answered the request and the fake does nothing more with it.
func (s *Server) OnRequest(hook func(w http.ResponseWriter, r *http.Request) bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hook = hook
}

// ServeHTTP answers one API request, in the order GitHub's front end does:
// counting, injected faults, the primary rate limit, the handler, then the
// ETag check that may turn the answer into a free 304.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r = normalize(r)
	hook := s.record(r)
	if hook != nil && hook(w, r) {
		return
	}
	if s.refused(w) {
		return
	}
	rec := httptest.NewRecorder()
	s.mux.ServeHTTP(rec, r)
	s.respond(w, r, rec)
}

type basesKey struct{}

// normalize strips the GitHub Enterprise prefix and remembers which bases
// the caller used, so URLs in the answer point back the same way.
func normalize(r *http.Request) *http.Request {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	b := bases{web: scheme + "://" + r.Host}
	b.api = b.web
	path := r.URL.Path
	if rest, ok := strings.CutPrefix(path, "/api/v3/"); ok {
		b.api += "/api/v3"
		path = "/" + rest
	}
	r = r.Clone(context.WithValue(r.Context(), basesKey{}, b))
	r.URL.Path, r.URL.RawPath = path, ""
	return r
}

func basesOf(r *http.Request) bases {
	return r.Context().Value(basesKey{}).(bases)
}

func (s *Server) record(r *http.Request) func(http.ResponseWriter, *http.Request) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Requests++
	s.stats.ByPath[r.URL.Path]++
	return s.hook
}
