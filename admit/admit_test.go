package admit_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/amendsdev/amends/admit"
)

// enter takes a slot or fails the test.
func enter(t *testing.T, g *admit.Gate) (context.Context, func()) {
	t.Helper()
	ctx, leave, err := g.Enter(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ctx, leave
}

// waiting starts Enter in a goroutine and returns a channel that receives
// the leave function once the slot is given.
func waiting(g *admit.Gate) chan func() {
	got := make(chan func(), 1)
	go func() {
		_, leave, err := g.Enter(context.Background())
		if err == nil {
			got <- leave
		}
	}()
	return got
}

func admittedWithin(ch chan func(), d time.Duration) (func(), bool) {
	select {
	case leave := <-ch:
		return leave, true
	case <-time.After(d):
		return nil, false
	}
}

func TestNoMoreThanItsSlotsAtOnce(t *testing.T) {
	g := admit.New(3)
	var now, most atomic.Int32
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, leave, err := g.Enter(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			n := now.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			time.Sleep(time.Millisecond)
			now.Add(-1)
			leave()
		}()
	}
	wg.Wait()
	if m := most.Load(); m != 3 {
		t.Fatalf("at most %d at once, want 3", m)
	}
}

func TestWaitersAreServedInArrivalOrder(t *testing.T) {
	g := admit.New(1)
	_, leave := enter(t, g)
	var order []int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, l, err := g.Enter(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
			l()
		}()
		time.Sleep(20 * time.Millisecond) // let waiter i queue before i+1
	}
	leave()
	wg.Wait()
	for i, got := range order {
		if got != i {
			t.Fatalf("served in order %v, want 0 1 2 3 4", order)
		}
	}
}

func TestPauseLetsAnotherInAndResumeGoesFirst(t *testing.T) {
	g := admit.New(1)
	ctx, leave := enter(t, g)
	second := waiting(g)
	if _, ok := admittedWithin(second, 50*time.Millisecond); ok {
		t.Fatal("a second request got in while the only slot was held")
	}
	resume := admit.Pause(ctx)
	leave2, ok := admittedWithin(second, time.Second)
	if !ok {
		t.Fatal("pausing did not free the slot")
	}
	third := waiting(g)
	time.Sleep(20 * time.Millisecond) // the third queues before the resume
	resumed := make(chan struct{})
	go func() { resume(); close(resumed) }()
	time.Sleep(20 * time.Millisecond)
	leave2()
	select {
	case <-resumed:
	case <-time.After(time.Second):
		t.Fatal("the paused request did not get its slot back")
	}
	if _, ok := admittedWithin(third, 50*time.Millisecond); ok {
		t.Fatal("a request that had not started went ahead of one resuming")
	}
	leave()
	if _, ok := admittedWithin(third, time.Second); !ok {
		t.Fatal("the slot was not passed on after the resumed request left")
	}
}

func TestGivingUpWhileWaitingKeepsNoSlot(t *testing.T) {
	g := admit.New(1)
	_, leave := enter(t, g)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, _, err := g.Enter(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Enter with an ended context: %v", err)
	}
	leave()
	if _, ok := admittedWithin(waiting(g), time.Second); !ok {
		t.Fatal("the slot was lost to a request that gave up")
	}
}

func TestPauseOutsideAGateAndAfterLeavingDoesNothing(t *testing.T) {
	admit.Pause(context.Background())() // no slot: nothing to give back or take

	g := admit.New(1)
	ctx, leave := enter(t, g)
	resume := admit.Pause(ctx)
	leave() // while paused: nothing is held, nothing is released
	resume()
	admit.Pause(ctx)() // after leaving
	_, leave2 := enter(t, g)
	if _, ok := admittedWithin(waiting(g), 50*time.Millisecond); ok {
		t.Fatal("the gate gave out more slots than it has")
	}
	leave2()
}
