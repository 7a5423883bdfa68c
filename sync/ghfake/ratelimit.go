package ghfake

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

const (
	defaultRateLimit = 5000
	rateWindow       = time.Hour

	primaryMessage   = "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000."
	primaryDocs      = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits"
	secondaryMessage = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000."
	secondaryDocs    = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
)

// bucket is the primary ("core") rate limit. The fake keeps one bucket for
// every caller, as if all of them were the same user.
type bucket struct {
	limit, remaining int
	reset            time.Time
}

func newBucket(limit int, now time.Time) bucket {
	return bucket{limit: limit, remaining: limit, reset: now.Truncate(time.Second).Add(rateWindow)}
}

// refill starts a new window once the old one has ended.
func (b *bucket) refill(now time.Time) {
	if !now.Before(b.reset) {
		*b = newBucket(b.limit, now)
	}
}

func (b *bucket) writeHeaders(h http.Header) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(b.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(b.remaining))
	h.Set("X-RateLimit-Used", strconv.Itoa(b.limit-b.remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(b.reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
}

// SetRateLimit sets the primary limit and what is left of it in the current
// window; the window resets an hour after it started, on the fake clock.
func (s *Server) SetRateLimit(limit, remaining int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rate.refill(s.clock.Now())
	s.rate.limit, s.rate.remaining = limit, remaining
}

// faults are the failures a test asked for.
type faults struct {
	failLeft     int
	failStatus   int
	blockedUntil time.Time
	blockStatus  int
}

// FailNext makes the next n requests answer status (a 5xx, typically).
func (s *Server) FailNext(n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.failLeft, s.faults.failStatus = n, status
}

// SecondaryRateLimit refuses every request for d of fake time with GitHub's
// secondary-limit 403 and a Retry-After header counting down.
func (s *Server) SecondaryRateLimit(d time.Duration) { s.block(http.StatusForbidden, d) }

// TooManyRequests is SecondaryRateLimit answered with 429, which GitHub
// also uses for secondary limits.
func (s *Server) TooManyRequests(d time.Duration) { s.block(http.StatusTooManyRequests, d) }

func (s *Server) block(status int, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.blockedUntil, s.faults.blockStatus = s.clock.Now().Add(d), status
}

// refused answers the request itself when a fault or the exhausted primary
// limit stops it. Refusals do not use up the limit.
func (s *Server) refused(w http.ResponseWriter) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	s.rate.refill(now)
	h := w.Header()
	s.rate.writeHeaders(h)
	switch {
	case s.faults.failLeft > 0:
		s.faults.failLeft--
		writeJSON(w, s.faults.failStatus, errorBody(http.StatusText(s.faults.failStatus), "https://docs.github.com/rest"))
	case now.Before(s.faults.blockedUntil):
		wait := s.faults.blockedUntil.Sub(now).Seconds()
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(wait))))
		writeJSON(w, s.faults.blockStatus, errorBody(secondaryMessage, secondaryDocs))
	case s.rate.remaining <= 0:
		writeJSON(w, http.StatusForbidden, errorBody(primaryMessage, primaryDocs))
	default:
		return false
	}
	return true
}
