package server

import (
	"runtime"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/admit"
	"github.com/amendsdev/amends/models"
)

// newGate returns the gate requests take turns at on SQLite, where a
// query is work on this process's CPU. On PostgreSQL a request spends
// most of its time waiting for the database server, and a few slots would
// cap how many queries one replica has in flight; it has no gate.
func newGate(db *models.DB) *admit.Gate {
	if db.Postgres {
		return nil
	}
	return admit.New(admitSlots())
}

// admitSlots is how many requests work at once: two per core measured
// best on two cores, where one per core left the CPU idle while a request
// waited on a system call and more let latency spread again
// (docs/benchmarks.md).
func admitSlots() int {
	return 2 * runtime.GOMAXPROCS(0)
}

// admitted makes a request wait for a slot of the server's gate before its
// handler runs (package admit, in Server.gate). It sits after
// authentication and the read cache, so a cached answer, a refusal or a
// health check never waits.
func (s *Server) admitted(next echo.HandlerFunc) echo.HandlerFunc {
	if s.gate == nil {
		return next
	}
	return func(c echo.Context) error {
		req := c.Request()
		ctx, leave, err := s.gate.Enter(req.Context())
		if err != nil {
			return err // the client went away while it waited
		}
		defer leave()
		c.SetRequest(req.WithContext(ctx))
		return next(c)
	}
}
