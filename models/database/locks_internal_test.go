package database

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestKeyedLocks: one holder per key at a time, other keys free, a waiter
// that gives up gets its context's error, and a released key is free.
func TestKeyedLocks(t *testing.T) {
	var k keyedLocks
	ctx := context.Background()
	a := lockKey{1, 1}
	unlock, err := k.lock(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	other, err := k.lock(ctx, lockKey{1, 2})
	if err != nil {
		t.Fatalf("another key: %v", err)
	}
	other()
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := k.lock(short, a); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("held key: %v, want the context's deadline", err)
	}
	got := make(chan struct{})
	go func() {
		again, err := k.lock(ctx, a)
		if err == nil {
			again()
		}
		close(got)
	}()
	select {
	case <-got:
		t.Fatal("a waiter got the key while it was held")
	case <-time.After(20 * time.Millisecond):
	}
	unlock()
	select {
	case <-got:
	case <-time.After(5 * time.Second):
		t.Fatal("the waiter never got the released key")
	}
	if len(k.held) != 0 {
		t.Errorf("%d keys still held", len(k.held))
	}
}
