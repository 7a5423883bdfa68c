package models

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
)

// TestSharedCountIsSharedAndNeverOlderThanItsRequest: requests arriving
// while a count runs share one later count, and every request gets a count
// that started after it arrived.
func TestSharedCountIsSharedAndNeverOlderThanItsRequest(t *testing.T) {
	var sc sharedCount
	var started atomic.Int64
	release := make(chan struct{})
	firstRunning := make(chan struct{})
	count := func(_ context.Context, _ Date) ([]CustomerAttention, error) {
		n := started.Add(1)
		if n == 1 {
			close(firstRunning)
			<-release
		}
		return []CustomerAttention{{CustomerID: uint(n)}}, nil
	}
	today := Date{}
	first := make(chan uint, 1)
	go func() {
		rows, err := sc.do(t.Context(), today, count)
		if err != nil {
			t.Error(err)
		}
		first <- rows[0].CustomerID
	}()
	<-firstRunning

	// Twenty requests arrive while the first count runs.
	const n = 20
	var wg sync.WaitGroup
	got := make([]uint, n)
	arrived := make(chan struct{}, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			arrived <- struct{}{}
			rows, err := sc.do(t.Context(), today, count)
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = rows[0].CustomerID
		}()
	}
	for range n {
		<-arrived
	}
	// Let them queue behind the running count before it ends.
	for {
		sc.mu.Lock()
		queued := sc.next != nil
		sc.mu.Unlock()
		if queued {
			break
		}
	}
	close(release)
	wg.Wait()

	if f := <-first; f != 1 {
		t.Errorf("the first request got count %d, want 1", f)
	}
	for i, g := range got {
		if g < 2 {
			t.Errorf("request %d arrived while count 1 ran and got it: a count older than itself", i)
		}
	}
	if s := started.Load(); s > 3 {
		t.Errorf("%d counts ran for 21 requests; those arriving together must share", s)
	}
}

// TestSharedCountSurvivesAGoneClient: the request that started a count going
// away does not fail the others sharing it.
func TestSharedCountSurvivesAGoneClient(t *testing.T) {
	var sc sharedCount
	release := make(chan struct{})
	count := func(ctx context.Context, _ Date) ([]CustomerAttention, error) {
		<-release
		return []CustomerAttention{{CustomerID: 7}}, ctx.Err()
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := sc.do(ctx, Date{}, count)
		done <- err
	}()
	for {
		sc.mu.Lock()
		running := sc.running
		sc.mu.Unlock()
		if running {
			break
		}
	}
	other := make(chan []CustomerAttention, 1)
	go func() {
		rows, err := sc.do(t.Context(), Date{}, count)
		if err != nil {
			t.Error(err)
		}
		other <- rows
	}()
	cancel()
	if err := <-done; err == nil {
		t.Error("the gone client's request did not end with its context")
	}
	close(release)
	if rows := <-other; len(rows) != 1 || rows[0].CustomerID != 7 {
		t.Errorf("the other request got %v", rows)
	}
}
