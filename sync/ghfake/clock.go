package ghfake

import (
	"sync"
	"time"
)

// Clock is the fake's notion of time. Every change stamps updated_at from it,
// and the rate-limit window and Retry-After blocks run on it, so tests move
// time forward instead of sleeping.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock stopped at start.
func NewClock(start time.Time) *Clock {
	return &Clock{now: start.UTC()}
}

// Now returns the current fake time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t.UTC()
}

// stamp is the time GitHub would record: it keeps whole seconds only, and a
// sub-second part would make `since` comparisons disagree with the JSON.
func (c *Clock) stamp() time.Time {
	return c.Now().Truncate(time.Second)
}
