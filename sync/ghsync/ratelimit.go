package ghsync

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v60/github"
)

// secondaryWait is how long GitHub asks clients to wait after a secondary
// limit that says nothing more precise.
const secondaryWait = time.Minute

// ErrRateLimited says GitHub asked amends to send nothing before Until.
type ErrRateLimited struct {
	Until time.Time
	// Secondary is set for GitHub's secondary limits (too many requests at
	// once), which get longer when ignored; otherwise the hourly budget ran out.
	Secondary bool
}

func (e *ErrRateLimited) Error() string {
	kind := "rate limit exhausted"
	if e.Secondary {
		kind = "secondary rate limit"
	}
	return fmt.Sprintf("github: %s, retry at %s", kind, e.Until.UTC().Format(time.RFC3339))
}

// RetryIn is how long to wait from now.
func (e *ErrRateLimited) RetryIn(now time.Time) time.Duration {
	return max(0, e.Until.Sub(now))
}

// AsRateLimited recognises every way go-github v60 reports a rate limit:
// *github.RateLimitError (primary, also raised locally by go-github until
// the reset), *github.AbuseRateLimitError (a secondary 403), and a plain
// *github.ErrorResponse, which is how a 429 arrives.
func AsRateLimited(err error, now time.Time) (*ErrRateLimited, bool) {
	var (
		own     *ErrRateLimited
		primary *github.RateLimitError
		abuse   *github.AbuseRateLimitError
		plain   *github.ErrorResponse
	)
	switch {
	case errors.As(err, &own):
		return own, true
	case errors.As(err, &primary):
		return &ErrRateLimited{Until: primary.Rate.Reset.Time}, true
	case errors.As(err, &abuse):
		wait := secondaryWait
		if abuse.RetryAfter != nil {
			wait = *abuse.RetryAfter
		}
		return &ErrRateLimited{Until: now.Add(wait), Secondary: true}, true
	case errors.As(err, &plain) && plain.Response != nil:
		return limitOf(plain.Response.StatusCode, plain.Response.Header, plain.Message, now)
	}
	return nil, false
}

// limitOf reads a response the way GitHub documents: wait Retry-After when
// given; else, with X-RateLimit-Remaining at 0, until X-RateLimit-Reset;
// else, for a 429 or a 403 naming the secondary limit, a minute. Any other
// 403 is a refusal (no access), not a limit.
func limitOf(status int, h http.Header, message string, now time.Time) (*ErrRateLimited, bool) {
	if status != http.StatusForbidden && status != http.StatusTooManyRequests {
		return nil, false
	}
	if wait, ok := retryAfter(h.Get("Retry-After"), now); ok {
		return &ErrRateLimited{Until: now.Add(wait), Secondary: true}, true
	}
	if h.Get("X-RateLimit-Remaining") == "0" {
		if reset, ok := unixHeader(h.Get("X-RateLimit-Reset")); ok {
			return &ErrRateLimited{Until: reset}, true
		}
	}
	if status == http.StatusTooManyRequests || strings.Contains(strings.ToLower(message), "secondary rate limit") {
		return &ErrRateLimited{Until: now.Add(secondaryWait), Secondary: true}, true
	}
	return nil, false
}

// retryAfter reads Retry-After as seconds or, as HTTP allows, a date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(0, at.Sub(now)), true
	}
	return 0, false
}

func unixHeader(v string) (time.Time, bool) {
	secs, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(secs, 0), true
}

// RateGuard follows GitHub's rate-limit headers across requests and says
// whether the next request may go out. It is safe for concurrent use.
type RateGuard struct {
	now func() time.Time

	mu           sync.Mutex
	known        bool
	remaining    int
	reset        time.Time
	blockedUntil time.Time
	secondary    bool
}

// NewRateGuard returns a guard reading time from now (time.Now when nil).
func NewRateGuard(now func() time.Time) *RateGuard {
	if now == nil {
		now = time.Now
	}
	return &RateGuard{now: now}
}

// Observe records a response's core rate-limit headers and, when the
// response is a rate-limit refusal, blocks requests until GitHub allows them.
func (g *RateGuard) Observe(resp *http.Response) {
	now := g.now()
	limited, isLimit := limitOf(resp.StatusCode, resp.Header, peekMessage(resp), now)
	g.mu.Lock()
	defer g.mu.Unlock()
	if res := resp.Header.Get("X-RateLimit-Resource"); res == "" || res == "core" {
		remaining, errR := strconv.Atoi(resp.Header.Get("X-RateLimit-Remaining"))
		reset, okReset := unixHeader(resp.Header.Get("X-RateLimit-Reset"))
		if errR == nil && okReset {
			g.known, g.remaining, g.reset = true, remaining, reset
		}
	}
	if isLimit && limited.Until.After(g.blockedUntil) {
		g.blockedUntil, g.secondary = limited.Until, limited.Secondary
	}
}

// peekMessage reads the JSON message of a 403, which alone tells a
// secondary limit from a refusal, and leaves the body readable.
func peekMessage(resp *http.Response) string {
	if resp.StatusCode != http.StatusForbidden || resp.Body == nil {
		return ""
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return ""
	}
	var msg struct {
		Message string `json:"message"`
	}
	_ = json.Unmarshal(body, &msg)
	return msg.Message
}

// Check returns nil when a request may go out now, leaving at least reserve
// requests of the hourly budget unused, and *ErrRateLimited otherwise. A
// poll passes a reserve so that writes asked for by people still get
// through; a write passes 0.
func (g *RateGuard) Check(reserve int) error {
	now := g.now()
	g.mu.Lock()
	defer g.mu.Unlock()
	if now.Before(g.blockedUntil) {
		return &ErrRateLimited{Until: g.blockedUntil, Secondary: g.secondary}
	}
	if g.known && g.remaining <= reserve && now.Before(g.reset) {
		return &ErrRateLimited{Until: g.reset}
	}
	return nil
}

// Remaining returns the last known budget and its reset; ok is false
// before any response was seen.
func (g *RateGuard) Remaining() (remaining int, reset time.Time, ok bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.remaining, g.reset, g.known
}

// Wrap returns a transport that observes every response of next.
func (g *RateGuard) Wrap(next http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(req)
		if err == nil {
			g.Observe(resp)
		}
		return resp, err
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }
