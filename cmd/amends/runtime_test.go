package main

import (
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/amendsdev/amends/models"
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

// serve on SQLite runs a P more than the default, unless GOMAXPROCS says
// otherwise; on PostgreSQL it keeps the default.
func TestServeSparesAProcForTheSQLiteWriter(t *testing.T) {
	def := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(def) })
	tests := []struct {
		name, gomaxprocs string
		db               *models.DB
		want             int
	}{
		{"sqlite", "", &models.DB{}, def + 1},
		{"sqlite, told", "1", &models.DB{}, def},
		{"postgres", "", &models.DB{Postgres: true}, def},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			runtime.GOMAXPROCS(def)
			t.Setenv("GOMAXPROCS", tc.gomaxprocs)
			spareProcForWriter(tc.db)
			if got := runtime.GOMAXPROCS(0); got != tc.want {
				t.Errorf("GOMAXPROCS %d, want %d", got, tc.want)
			}
		})
	}
}
