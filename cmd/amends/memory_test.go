package main

import (
	"runtime/debug"
	"testing"
)

// serve sets its collector's pacing and limit unless the environment does.
func TestServeTunesTheCollectorUnlessTold(t *testing.T) {
	oldGC, oldLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	t.Cleanup(func() {
		debug.SetGCPercent(oldGC)
		debug.SetMemoryLimit(oldLimit)
	})
	tests := []struct {
		gogc, memlimit string
		wantGC         int
		wantLimit      int64
	}{
		{"", "", serveGCPercent, serveMemoryLimit},
		{"150", "1GiB", 150, 1 << 30},
	}
	for _, tc := range tests {
		t.Setenv("GOGC", tc.gogc)
		t.Setenv("GOMEMLIMIT", tc.memlimit)
		// What the runtime read from the environment at start.
		debug.SetGCPercent(150)
		debug.SetMemoryLimit(1 << 30)
		limitMemory()
		if got := debug.SetGCPercent(100); got != tc.wantGC {
			t.Errorf("GOGC=%q: GC percent %d, want %d", tc.gogc, got, tc.wantGC)
		}
		if got := debug.SetMemoryLimit(-1); got != tc.wantLimit {
			t.Errorf("GOMEMLIMIT=%q: limit %d, want %d", tc.memlimit, got, tc.wantLimit)
		}
	}
}
