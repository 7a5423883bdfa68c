// Package admit bounds how many requests do their work at once and lets the
// rest wait their turn in the order they came.
//
// Left to the Go scheduler, dozens of requests that all want the CPU share
// it in no particular order: under load most finish in a few milliseconds
// and some wait ten times as long, and the single goroutine that commits
// SQLite writes waits behind all of them. With a few slots, a request
// either works undisturbed or waits in a queue, first come, first served,
// so latency follows the queue's length and the writer gets the CPU when
// it needs it.
//
// A request that waits on something other than this process's CPU (the
// database writer, GitHub) gives its slot back meanwhile with Pause, so
// waiting never holds others up; it takes a slot again ahead of requests
// that have not started, because finishing work frees more than starting
// it.
package admit

import (
	"context"
	"sync"
)

// Gate hands out a fixed number of slots.
type Gate struct {
	mu   sync.Mutex
	free int
	// resuming are paused requests that want their slot back; arriving
	// are requests that have not started. Each is a FIFO of channels that
	// are closed when the waiter is given a slot.
	resuming, arriving []chan struct{}
}

// New returns a gate with n slots (at least one).
func New(n int) *Gate {
	return &Gate{free: max(n, 1)}
}

// Enter waits for a slot, or until ctx ends. The context it returns carries
// the slot, for Pause; leave gives the slot back, and must be called once
// the request's work is done.
func (g *Gate) Enter(ctx context.Context) (_ context.Context, leave func(), err error) {
	if err := g.acquire(ctx, false); err != nil {
		return ctx, nil, err
	}
	t := &ticket{g: g, state: held}
	return context.WithValue(ctx, ticketKey{}, t), t.leave, nil
}

// Pause gives back the slot ctx carries, if it holds one, while the caller
// waits on something else; resume takes a slot again. Without a slot in
// ctx, both do nothing.
func Pause(ctx context.Context) (resume func()) {
	t, _ := ctx.Value(ticketKey{}).(*ticket)
	if t == nil || !t.set(held, paused) {
		return func() {}
	}
	t.g.release()
	return t.resume
}

func (g *Gate) acquire(ctx context.Context, resuming bool) error {
	g.mu.Lock()
	// A resuming request may pass requests that have not started.
	if g.free > 0 && len(g.resuming) == 0 && (resuming || len(g.arriving) == 0) {
		g.free--
		g.mu.Unlock()
		return nil
	}
	ready := make(chan struct{})
	if resuming {
		g.resuming = append(g.resuming, ready)
	} else {
		g.arriving = append(g.arriving, ready)
	}
	g.mu.Unlock()
	select {
	case <-ready:
		return nil
	case <-ctx.Done():
		g.mu.Lock()
		defer g.mu.Unlock()
		if !g.drop(ready) {
			// Given a slot as ctx ended: pass it on.
			g.handOn()
		}
		return ctx.Err()
	}
}

func (g *Gate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.handOn()
}

// handOn gives a freed slot to the first waiter, resuming ones first.
func (g *Gate) handOn() {
	for _, q := range []*[]chan struct{}{&g.resuming, &g.arriving} {
		if len(*q) > 0 {
			close((*q)[0])
			*q = (*q)[1:]
			return
		}
	}
	g.free++
}

// drop takes a waiter that gave up out of its queue; false means it was
// handed a slot already.
func (g *Gate) drop(ready chan struct{}) bool {
	for _, q := range []*[]chan struct{}{&g.resuming, &g.arriving} {
		for i, c := range *q {
			if c == ready {
				*q = append((*q)[:i], (*q)[i+1:]...)
				return true
			}
		}
	}
	return false
}

type ticketKey struct{}

type state int

const (
	held state = iota
	paused
	left
)

// ticket is one request's claim on a slot. Goroutines the request starts
// may share its context, and may outlive it, so its state is guarded.
type ticket struct {
	g     *Gate
	mu    sync.Mutex
	state state
}

// set moves the ticket from one state to another, if it is in the first.
func (t *ticket) set(from, to state) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.state != from {
		return false
	}
	t.state = to
	return true
}

func (t *ticket) resume() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.state != paused {
		return
	}
	// Holding t.mu while waiting keeps leave from running in between;
	// only goroutines that share this request wait on it.
	t.g.acquire(context.Background(), true)
	t.state = held
}

func (t *ticket) leave() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.state == held {
		t.g.release()
	}
	t.state = left
}
