package main

import (
	"os"
	"runtime"
	"runtime/debug"

	"github.com/amendsdev/amends/models"
)

// How serve sets up the Go runtime where the environment does not.

// serveMemoryLimit is the soft limit on the Go heap of serve unless
// GOMEMLIMIT says otherwise. What serve keeps is bounded (a 32 MB read
// cache, batched jobs), so the default GC pacing, which lets the heap grow
// to twice what is live, only adds RSS; near the limit the collector runs
// sooner, and above it the heap still grows rather than fail.
//
// Under it, serveGCPercent lets the heap grow to five times what is live
// before collecting, unless GOGC says otherwise: serving, what is live is
// small (7 MB taking in webhooks), so the default collected 26 times a
// second, and the pauses and assists showed in every latency. The limit
// still bounds the heap.
const (
	serveMemoryLimit = 100 << 20
	serveGCPercent   = 400
)

func limitMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
}

// spareProcForWriter gives serve on SQLite one P more than the CPUs it
// may use, unless GOMAXPROCS says otherwise. Every SQLite write is made by
// one goroutine (models/group.go) that spends most of its time in C, and
// each return from C needs a P. With one P per core the Ps were busy with
// requests, so the writer waited in the run queue after many of the dozens
// of C calls a write makes, and every write queued behind it waited too.
// With a spare P it carries on at once, and the kernel shares the cores.
// On two cores, item updates' p99 was lower in nine of ten paired runs
// (docs/benchmarks.md). The admission slots follow GOMAXPROCS
// (server/admit.go). PostgreSQL has no such writer.
func spareProcForWriter(db *models.DB) {
	if db.Postgres || os.Getenv("GOMAXPROCS") != "" {
		return
	}
	runtime.GOMAXPROCS(runtime.GOMAXPROCS(0) + 1)
}
