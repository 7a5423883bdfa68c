package server

import (
	"sync"
	"time"
)

// throttle slows down repeated failed sign-ins per key (address and email):
// after a few free attempts each failure doubles the wait, up to a cap.
type throttle struct {
	mu        sync.Mutex
	now       func() time.Time
	fails     map[string]*failures
	lastSweep time.Time
}

type failures struct {
	count int
	until time.Time
	last  time.Time
}

const (
	freeAttempts = 5
	maxWait      = 5 * time.Minute
	forgetAfter  = 30 * time.Minute
)

func newThrottle() *throttle {
	return &throttle{now: time.Now, fails: map[string]*failures{}}
}

// wait is how long the key must wait before it may try again.
func (t *throttle) wait(key string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.fails[key]
	if f == nil {
		return 0
	}
	return max(0, f.until.Sub(t.now()))
}

func (t *throttle) fail(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.sweep(now)
	f := t.fails[key]
	if f == nil {
		f = &failures{}
		t.fails[key] = f
	}
	f.count++
	f.last = now
	if f.count >= freeAttempts {
		wait := time.Second << min(f.count-freeAttempts, 9)
		f.until = now.Add(min(wait, maxWait))
	}
}

func (t *throttle) reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.fails, key)
}

// sweep forgets old failures, once a minute, so that the map cannot grow
// without bound.
func (t *throttle) sweep(now time.Time) {
	if now.Sub(t.lastSweep) < time.Minute {
		return
	}
	t.lastSweep = now
	for k, f := range t.fails {
		if now.Sub(f.last) > forgetAfter {
			delete(t.fails, k)
		}
	}
}
