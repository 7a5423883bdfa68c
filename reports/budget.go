package reports

import (
	"fmt"
	"math"
	"time"

	"github.com/amendsdev/amends/models"
)

// One budget model, used by the review, its charts, the customer page and
// the API alike: an SLO's error budget is measured over the SLO's own
// window as of a moment. A rolling SLO's window is the window_days × 24
// hours that end at that moment; a calendar-aligned SLO's window is the
// calendar period (a month, a week…, counted from its start in its time
// zone) that holds the moment, measured from the period's start to the
// moment against the budget of the whole period. An incident's bad minutes
// are taken as spread evenly from its start to its resolution, so one that
// straddles a window's edge counts for the part inside it; one without a
// resolution counts whole at its start.

// Budget is one SLO's error budget over its window at a moment, and what
// the review's month's incidents cost it.
type Budget struct {
	SLO         string  `json:"slo"`
	DisplayName string  `json:"display_name"`
	Target      float64 `json:"target"`
	WindowDays  int     `json:"window_days"`
	Window      Window  `json:"window"`
	// BudgetMinutes is (1 - target) × the window's length in minutes.
	BudgetMinutes float64 `json:"budget_minutes"`
	// ConsumedMinutes is what the incidents cost inside the window.
	ConsumedMinutes float64 `json:"consumed_minutes"`
	// ConsumedShare is consumed ÷ budget: 1 means the budget is spent.
	ConsumedShare    float64 `json:"consumed_share"`
	RemainingMinutes float64 `json:"remaining_minutes"`
	Exhausted        bool    `json:"exhausted"`
	// MonthMinutes is what the incidents that started in the review's
	// month cost, whole, and MonthShare that as a share of the budget.
	MonthMinutes float64 `json:"month_minutes"`
	MonthShare   float64 `json:"month_share"`
	// Source says whether the figures were measured from the SLO's SLI
	// (Measured then holds them) or recorded by hand as impacts.
	Source   string    `json:"source"`
	Measured *Measured `json:"measured,omitempty"`
}

// Window is the stretch of time a budget was measured over.
type Window struct {
	Kind string    `json:"kind"` // "rolling" or "calendar"
	From time.Time `json:"from"`
	To   time.Time `json:"to"` // the moment it is measured at
	// End is the end of a calendar period (To for a rolling window): the
	// budget is that of the whole period.
	End   time.Time `json:"end"`
	Label string    `json:"label"`
}

// Charge is an incident's cost against one SLO, with when it happened.
type Charge struct {
	SLOID      uint
	Start, End time.Time // End is Start when the incident has no resolution
	BadMinutes float64
}

// ChargeOf makes the charge of an impact of a postmortem.
func ChargeOf(imp models.Impact, pm models.Postmortem) Charge {
	c := Charge{SLOID: imp.SLOID, BadMinutes: imp.BadMinutes, Start: pm.CreatedAt}
	if pm.StartedAt != nil {
		c.Start = *pm.StartedAt
	}
	c.End = c.Start
	if pm.ResolvedAt != nil && pm.ResolvedAt.After(c.Start) {
		c.End = *pm.ResolvedAt
	}
	return c
}

// within is the part of the charge inside [from, to).
func (c Charge) within(from, to time.Time) float64 {
	if !c.End.After(c.Start) {
		if !c.Start.Before(from) && c.Start.Before(to) {
			return c.BadMinutes
		}
		return 0
	}
	lo, hi := maxTime(c.Start, from), minTime(c.End, to)
	if !hi.After(lo) {
		return 0
	}
	return c.BadMinutes * float64(hi.Sub(lo)) / float64(c.End.Sub(c.Start))
}

// WindowAt is the SLO's window as of at.
func WindowAt(slo models.SLO, at time.Time) Window {
	if slo.CalendarDuration != "" {
		if w, err := calendarWindow(slo, at); err == nil {
			return w
		}
		// A calendar the data cannot place (it was validated when saved)
		// falls back to the rolling window of the same length.
	}
	from := at.Add(-time.Duration(slo.WindowDays) * 24 * time.Hour)
	return Window{Kind: "rolling", From: from, To: at, End: at,
		Label: fmt.Sprintf("rolling %d days to %s", slo.WindowDays, fmtTime(at))}
}

// calendarWindow finds the calendar period holding at.
func calendarWindow(slo models.SLO, at time.Time) (Window, error) {
	n, unit, err := models.ParseCalendarDuration(slo.CalendarDuration)
	if err != nil {
		return Window{}, err
	}
	loc, err := time.LoadLocation(slo.CalendarTimeZone)
	if err != nil {
		return Window{}, err
	}
	start, err := models.ParseCalendarStart(slo.CalendarStart, loc)
	if err != nil {
		return Window{}, err
	}
	step := func(t time.Time, k int) time.Time {
		switch unit {
		case "d":
			return t.AddDate(0, 0, k*n)
		case "w":
			return t.AddDate(0, 0, 7*k*n)
		case "M":
			return t.AddDate(0, k*n, 0)
		case "Q":
			return t.AddDate(0, 3*k*n, 0)
		}
		return t.AddDate(k*n, 0, 0)
	}
	// Periods are counted from the anchor, so a month stays a calendar
	// month whatever its length; the loop crosses the years between the
	// anchor and at one period at a time (a few thousand at most).
	start = start.In(loc)
	k := 0
	for ; at.Before(step(start, k)) && k > -100000; k-- {
	}
	for ; !at.Before(step(start, k+1)) && k < 100000; k++ {
	}
	from := step(start, k)
	end := step(from, 1)
	return Window{Kind: "calendar", From: from, To: at, End: end,
		Label: fmt.Sprintf("calendar %s from %s (%s), to %s", slo.CalendarDuration, from.Format("2006-01-02 15:04"), loc, fmtTime(at))}, nil
}

// BudgetAt measures the SLO's budget over its window at at, from every
// charge against it; month are the charges of the review's month (nil
// outside a review).
func BudgetAt(slo models.SLO, at time.Time, charges, month []Charge) Budget {
	w := WindowAt(slo, at)
	b := Budget{SLO: slo.Name, DisplayName: displayName(slo), Target: slo.Target, WindowDays: slo.WindowDays, Window: w, Source: SourceRecorded}
	b.BudgetMinutes = (1 - slo.Target) * w.End.Sub(w.From).Minutes()
	for _, c := range charges {
		if c.SLOID == slo.ID {
			b.ConsumedMinutes += c.within(w.From, w.To)
		}
	}
	for _, c := range month {
		if c.SLOID == slo.ID {
			b.MonthMinutes += c.BadMinutes
		}
	}
	b.ConsumedShare = shareOf(b.ConsumedMinutes, b.BudgetMinutes)
	b.MonthShare = shareOf(b.MonthMinutes, b.BudgetMinutes)
	b.RemainingMinutes = b.BudgetMinutes - b.ConsumedMinutes
	b.Exhausted = b.ConsumedMinutes > 0 && b.ConsumedShare >= 1
	b.round()
	return b
}

// round keeps float noise ((1 - 0.999) × 43200 = 43.20000000000004) out
// of every output: minutes to a thousandth, shares to a millionth.
func (b *Budget) round() {
	b.Target = Round(b.Target, 6)
	for _, v := range []*float64{&b.BudgetMinutes, &b.ConsumedMinutes, &b.RemainingMinutes, &b.MonthMinutes} {
		*v = Round(*v, 3)
	}
	b.ConsumedShare, b.MonthShare = Round(b.ConsumedShare, 6), Round(b.MonthShare, 6)
}

// Round rounds v to places decimals.
func Round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// shareOf is minutes as a share of a budget; no budget (a target of 1) is
// spent by any bad minute.
func shareOf(minutes, budget float64) float64 {
	if budget <= 0 {
		if minutes > 0 {
			return 1
		}
		return 0
	}
	return minutes / budget
}

func displayName(slo models.SLO) string {
	if slo.DisplayName != "" {
		return slo.DisplayName
	}
	return slo.Name
}

// worstShare is the largest share any SLO spent, the one number a trend
// shows per month.
func worstShare(bs []Budget) float64 {
	w := 0.0
	for _, b := range bs {
		if b.ConsumedShare > w {
			w = b.ConsumedShare
		}
	}
	return w
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// SLOBudgets measures every SLO's budget over its window at at, from the
// impacts of the postmortems given: what the customer page and the API
// show, by the same computation as a review as of the same moment.
func SLOBudgets(slos []models.SLO, imps []models.Impact, pms map[uint]models.Postmortem, at time.Time) []Budget {
	var charges []Charge
	for _, imp := range imps {
		if pm, ok := pms[imp.PostmortemID]; ok {
			charges = append(charges, ChargeOf(imp, pm))
		}
	}
	out := make([]Budget, 0, len(slos))
	for _, s := range slos {
		out = append(out, BudgetAt(s, at, charges, nil))
	}
	return out
}

// FormatMinutes shows minutes for reading: to two decimals at most,
// without trailing zeros.
func FormatMinutes(v float64) string { return mins(v) }
