package models

import (
	"context"
	"sync"
	"time"
)

// sharedCount lets the requests that want the per-customer counts while a
// count runs share the next one, rather than each scanning every open item
// at once (a scan takes a few hundred milliseconds at a million items, and
// 64 of them side by side took seconds each). A request only ever shares a
// count that starts after it arrived, so it never reads counts older than
// itself: this is request coalescing, not a cache.
type sharedCount struct {
	mu      sync.Mutex
	running bool
	next    *countCall // not started yet: the one arriving requests join
}

type countCall struct {
	today Date
	done  chan struct{}
	rows  []CustomerAttention
	err   error
}

// countTimeout bounds a shared count, which outlives the request that
// started it so that one client going away fails none of the others.
const countTimeout = 30 * time.Second

// do returns the counts of a call that starts no earlier than now.
func (sc *sharedCount) do(ctx context.Context, today Date, count func(context.Context, Date) ([]CustomerAttention, error)) ([]CustomerAttention, error) {
	sc.mu.Lock()
	if sc.next != nil && sc.next.today != today {
		// The day turned while a count was queued: count this one alone.
		sc.mu.Unlock()
		return count(ctx, today)
	}
	if sc.next == nil {
		sc.next = &countCall{today: today, done: make(chan struct{})}
	}
	c := sc.next
	if !sc.running {
		sc.start(ctx, count)
	}
	sc.mu.Unlock()
	select {
	case <-c.done:
		// A copy: each request may keep or reorder its own.
		return append([]CustomerAttention(nil), c.rows...), c.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// start runs the queued call; sc.mu is held.
func (sc *sharedCount) start(ctx context.Context, count func(context.Context, Date) ([]CustomerAttention, error)) {
	c := sc.next
	sc.next, sc.running = nil, true
	run, cancel := context.WithTimeout(context.WithoutCancel(ctx), countTimeout)
	go func() {
		defer cancel()
		c.rows, c.err = count(run, c.today)
		sc.mu.Lock()
		defer sc.mu.Unlock()
		close(c.done)
		sc.running = false
		if sc.next != nil {
			sc.start(run, count)
		}
	}()
}
