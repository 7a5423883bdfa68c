package reports

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
)

// TestBudgetOverTheSLOsWindow works budgets out by hand: a rolling window
// ends at the moment measured and an incident straddling its start counts
// for the part inside; a calendar window is the period holding the moment
// in the SLO's own time zone, budgeted over the whole period.
func TestBudgetOverTheSLOsWindow(t *testing.T) {
	utc := func(d, h int, m time.Month) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, time.UTC) }
	rolling := models.SLO{ID: 1, Name: "api", DisplayName: "API", Target: 0.999, WindowDays: 30}
	tokyo := models.SLO{ID: 2, Name: "search", Target: 0.99, WindowDays: 30,
		CalendarDuration: "1M", CalendarStart: "2026-01-01 00:00:00", CalendarTimeZone: "Asia/Tokyo"}
	straddle := Charge{SLOID: 1, Start: utc(28, 23, time.February), End: utc(1, 1, time.March), BadMinutes: 60}
	point := Charge{SLOID: 1, Start: utc(10, 12, time.March), End: utc(10, 12, time.March), BadMinutes: 5}
	old := Charge{SLOID: 1, Start: utc(15, 0, time.February), End: utc(15, 1, time.February), BadMinutes: 100}
	tokyoEdge := Charge{SLOID: 2, Start: utc(31, 14, time.January), End: utc(31, 16, time.January), BadMinutes: 120}
	cases := []struct {
		name                                 string
		slo                                  models.SLO
		at                                   time.Time
		charges, month                       []Charge
		from, end                            time.Time
		budget, consumed, share, left, spent float64
		monthShare                           float64
		label                                string
	}{
		// 30 days to 31 March 00:00 UTC start on 1 March 00:00: half of
		// the two-hour incident from 23:00 on 28 February is inside (30 of
		// its 60 minutes), plus 5, and nothing of February's 100.
		// (1 − 0.999) × 30 × 1440 = 43.2; 35 ÷ 43.2 = 0.810185…
		{"rolling, straddling its start", rolling, utc(31, 0, time.March), []Charge{straddle, point, old}, []Charge{point},
			utc(1, 0, time.March), utc(31, 0, time.March), 43.2, 35, 0.810185, 8.2, 5, 0.115741, "rolling 30 days to 2026-03-31 00:00 UTC"},
		// 10 February 00:00 UTC is 09:00 in Tokyo: February there runs from
		// 31 January 15:00 UTC for 28 days, 40 320 minutes, a budget of
		// 403.2; the incident from 14:00 to 16:00 UTC is half inside.
		{"calendar month in Tokyo", tokyo, utc(10, 0, time.February), []Charge{tokyoEdge, straddle}, nil,
			utc(31, 15, time.January), utc(28, 15, time.February), 403.2, 60, 0.14881, 343.2, 0, 0, "calendar 1M from 2026-02-01 00:00 (Asia/Tokyo), to 2026-02-10 00:00 UTC"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := BudgetAt(c.slo, c.at, c.charges, c.month)
			if !b.Window.From.Equal(c.from) || !b.Window.End.Equal(c.end) || !b.Window.To.Equal(c.at) || b.Window.Label != c.label {
				t.Errorf("window %+v, want %s to %s, label %q", b.Window, c.from, c.end, c.label)
			}
			if b.BudgetMinutes != c.budget || b.ConsumedMinutes != c.consumed || b.ConsumedShare != c.share ||
				b.RemainingMinutes != c.left || b.MonthMinutes != c.spent || b.MonthShare != c.monthShare {
				t.Errorf("budget %+v\nwant budget %v consumed %v share %v left %v month %v (%v)", b, c.budget, c.consumed, c.share, c.left, c.spent, c.monthShare)
			}
		})
	}
}

// TestBudgetJSONHasNoFloatNoise: (1 − 0.999) × 43 200 is 43.20000000000004
// in floating point; the JSON says 43.2.
func TestBudgetJSONHasNoFloatNoise(t *testing.T) {
	slo := models.SLO{ID: 1, Name: "api", Target: 0.999, WindowDays: 30}
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	b := BudgetAt(slo, at, []Charge{{SLOID: 1, Start: at.Add(-time.Hour), End: at.Add(-time.Hour), BadMinutes: 0.1 + 0.2}}, nil)
	out, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"budget_minutes":43.2,`, `"consumed_minutes":0.3,`, `"remaining_minutes":42.9,`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("JSON lacks %s: %s", want, out)
		}
	}
	if slo.BudgetMinutes() != 43.2 {
		t.Errorf("SLO.BudgetMinutes() = %v, want 43.2", slo.BudgetMinutes())
	}
}
