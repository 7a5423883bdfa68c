package models

import (
	"context"
	"errors"
	"testing"
	"time"
)

// Hashing waits for a free slot, and gives up with the request's context:
// a login flood queues here instead of running 64 MiB hashes on every
// core at once.
func TestPasswordHashingWaitsForASlot(t *testing.T) {
	h := hashSlots(make(chan struct{}, 2))
	ran := 0
	h <- struct{}{}
	h <- struct{}{} // both slots busy
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := h.run(ctx, func() { ran++ }); !errors.Is(err, context.DeadlineExceeded) || ran != 0 {
		t.Fatalf("with every slot busy: err %v, ran %d times; want the context's error and no hash", err, ran)
	}
	<-h // one slot frees up
	if err := h.run(context.Background(), func() { ran++ }); err != nil || ran != 1 {
		t.Fatalf("with a slot free: err %v, ran %d", err, ran)
	}
	if len(h) != 1 {
		t.Errorf("the slot was not given back: %d busy", len(h))
	}
	if cap(newHashSlots()) < 1 {
		t.Error("no slot at all")
	}
}
