package promtest

import "time"

// The fixture, months in the past so that promtool can backfill it: the
// customer acme serves 1000 requests a minute from 2026-06-30 to
// 2026-08-02 (UTC), every sample on a whole minute, with three incidents
// whose bad events are known by hand:
//
//   - A, inside one day: 2026-07-10 14:00–14:30 UTC, 100 bad a minute:
//     3000 bad of 30 000.
//   - B, across the end of July in acme's zone (America/New_York, UTC-4
//     in summer, so July ends 2026-08-01 04:00 UTC): 03:00–05:00 UTC, 50
//     bad a minute: 3000 in July, 3000 in August.
//   - C, across a restart: 2026-07-20 11:50–12:10 UTC, 10 bad a minute,
//     both counters restarting from zero at 12:00: 200 bad.
//
// globex has no series at all: its figures are missing.
var (
	FixtureFrom = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	FixtureTo   = time.Date(2026, 8, 2, 0, 0, 0, 0, time.UTC)
	ResetAt     = time.Date(2026, 7, 20, 12, 0, 0, 0, time.UTC)
	IncidentA   = [2]time.Time{time.Date(2026, 7, 10, 14, 0, 0, 0, time.UTC), time.Date(2026, 7, 10, 14, 30, 0, 0, time.UTC)}
	IncidentB   = [2]time.Time{time.Date(2026, 8, 1, 3, 0, 0, 0, time.UTC), time.Date(2026, 8, 1, 5, 0, 0, 0, time.UTC)}
	IncidentC   = [2]time.Time{time.Date(2026, 7, 20, 11, 50, 0, 0, time.UTC), time.Date(2026, 7, 20, 12, 10, 0, 0, time.UTC)}
)

func within(t time.Time, in [2]time.Time) bool { return t.After(in[0]) && !t.After(in[1]) }

// FixtureSeries builds acme's counters: total, bad (errors) and good.
func FixtureSeries() []Series {
	bad := func(t time.Time) float64 {
		switch {
		case within(t, IncidentA):
			return 100
		case within(t, IncidentB):
			return 50
		case within(t, IncidentC):
			return 10
		}
		return 0
	}
	labels := func(code string) map[string]string {
		return map[string]string{"customer": "acme", "code": code, "job": "api"}
	}
	const perMin = 1000.0
	total := Counter("http_requests_total", labels("all"), FixtureFrom, FixtureTo, time.Minute, 5e6, func(time.Time) float64 { return perMin })
	errs := Counter("http_errors_total", labels("5xx"), FixtureFrom, FixtureTo, time.Minute, 0, bad)
	good := Counter("http_ok_total", labels("2xx"), FixtureFrom, FixtureTo, time.Minute, 4e6, func(t time.Time) float64 { return perMin - bad(t) })
	return []Series{total.Reset(ResetAt), errs.Reset(ResetAt), good.Reset(ResetAt)}
}
