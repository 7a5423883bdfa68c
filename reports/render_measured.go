package reports

import (
	"fmt"
	"strconv"
	"strings"
)

// The measured parts of a review, the same rows in every format.

// SourceLabel says where a budget's figures come from.
func (b Budget) SourceLabel() string {
	if b.Source == SourceMeasured {
		return "measured from the SLI"
	}
	return "recorded by hand"
}

var impactHead = []string{"SLO", "Bad minutes (recorded)", "Budget share (recorded)", "Measured from the SLI"}

// impactRow is an incident's cost against one SLO: as recorded, and as
// measured when the SLO has an SLI.
func impactRow(imp ImpactLine) []string {
	rec, share := "-", "-"
	if imp.BadMinutes > 0 {
		rec, share = mins(imp.BadMinutes), pct(imp.BudgetShare)
	}
	return []string{imp.SLO, rec, share, imp.MeasuredText()}
}

// MeasuredText is the measured cost in words, or "-" without an SLI.
func (imp ImpactLine) MeasuredText() string {
	m := imp.Measured
	if m == nil {
		return "-"
	}
	if m.Unit == "minutes" {
		return fmt.Sprintf("%s bad minutes, %s of the budget", count(m.Bad), pct(m.BudgetShare))
	}
	return fmt.Sprintf("%s bad of %s events, %s of the budget", count(m.Bad), count(m.Total), pct(m.BudgetShare))
}

var measuredHead = []string{"SLO", "Compliance this month", "Compliance in window", "Bad this month", "Budget consumed", "Budget remaining"}

// measuredRows are the SLOs measured from their SLIs.
func (r *Review) measuredRows() [][]string {
	var rows [][]string
	for _, b := range r.Budgets {
		m := b.Measured
		if m == nil {
			continue
		}
		rows = append(rows, []string{b.DisplayName, compliance(m.Month.Compliance), compliance(m.Window.Compliance),
			fmt.Sprintf("%s of %s %s", count(m.Month.Bad), count(m.Month.Total), m.Unit), pct(m.ConsumedShare), pct(m.RemainingShare)})
	}
	return rows
}

// MeasuredNote says how measured figures are made, under their table.
func (r *Review) MeasuredNote() string {
	return "Measured from each SLO's SLI: compliance is the share of good events (or good minutes, for SLOs budgeted in " +
		"time slices) over the month to " + fmtTime(r.AsOf) + " and over the SLO's window; the budget is (1 - target) of the " +
		"window's events. SLOs without an SLI show the impacts recorded by hand."
}

// MissingLines say which measured figures are missing, and why.
func (r *Review) MissingLines() []string {
	out := make([]string, 0, len(r.Missing))
	for _, m := range r.Missing {
		out = append(out, fmt.Sprintf("%s, %s: %s", m.SLO, m.Figure, m.Reason))
	}
	return out
}

// burnCharts are the daily burn charts, one per measured SLO.
func burnCharts(r *Review) []bars {
	var out []bars
	for _, b := range r.Budgets {
		if b.Measured == nil || len(b.Measured.Daily) == 0 {
			continue
		}
		d := b.Measured.Daily
		ch := bars{Title: "Daily budget burn: " + b.DisplayName, Axis: "% of the window's budget", XAxis: "day of " + r.Label,
			Labels: make([]string, len(d)), Series: []series{{"burnt that day", [3]int{220, 38, 38}, make([]float64, len(d))}},
			Format: func(v float64) string { return fmt.Sprintf("%.1f%%", v*100) }, Compact: true}
		for i, day := range d {
			ch.Labels[i] = strings.TrimLeft(day.Date[8:], "0")
			ch.Series[0].Values[i] = day.Share
		}
		out = append(out, ch)
	}
	return out
}

func compliance(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.4f", v*100), "0"), ".") + "%"
}

// count shows an event count: whole when it is, else to two decimals.
func count(v float64) string {
	if v == float64(int64(v)) {
		return strconv.FormatInt(int64(v), 10)
	}
	return mins(v)
}
