package sli

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	promv1 "github.com/prometheus/client_golang/api/prometheus/v1"

	"github.com/amendsdev/amends/models"
)

// Indicator is an SLO's SLI with a customer's slug put in.
//
// Its queries are selectors of counters (what OpenSLO's ratioMetric with
// counter: true holds), whose events are counted with increase(), which
// follows counter resets, summed over every series the selector matches;
// or expressions giving a rate per second (sum(rate(x[1m]))), whose
// events are the rate summed minute by minute.
// A bad query whose series do not exist counts no bad events (an error
// counter often appears with the first error); a total query without data
// is a missing figure.
//
// Occurrences count events. Timeslices (and RatioTimeslices) count
// minutes: a minute is bad when the share of bad events over the 90
// seconds that end with it is above 1 - target, which with a scrape
// interval of a minute is the minute's own share.
type Indicator struct {
	Slices           bool // Timeslices: figures are minutes
	Target           float64
	Good, Bad, Total string
}

// IndicatorOf renders the SLO's SLI for the customer with that slug.
func IndicatorOf(slo models.SLO, slug string) (Indicator, error) {
	if !slo.HasSLI() {
		return Indicator{}, fmt.Errorf("SLO %q has no SLI", slo.Name)
	}
	ind := Indicator{Slices: slo.BudgetingMethod == "Timeslices" || slo.BudgetingMethod == "RatioTimeslices", Target: slo.Target}
	var err error
	for _, q := range []struct {
		dst *string
		src string
	}{{&ind.Good, slo.SLIGoodQuery}, {&ind.Bad, slo.SLIBadQuery}, {&ind.Total, slo.SLITotalQuery}} {
		if q.src == "" {
			continue
		}
		if *q.dst, err = models.RenderSLIQuery(q.src, slug); err != nil {
			return Indicator{}, fmt.Errorf("SLI of SLO %q: %w", slo.Name, err)
		}
	}
	return ind, nil
}

// Unit is what the indicator counts: "events" or "minutes".
func (ind Indicator) Unit() string {
	if ind.Slices {
		return "minutes"
	}
	return "events"
}

// Queries names the indicator's queries, for the history.
func (ind Indicator) Queries() string {
	var parts []string
	if ind.Good != "" {
		parts = append(parts, "good: "+ind.Good)
	}
	if ind.Bad != "" {
		parts = append(parts, "bad: "+ind.Bad)
	}
	return strings.Join(append(parts, "total: "+ind.Total), "; ")
}

// badExpr counts bad events (or bad minutes) over the range d.
func (ind Indicator) badExpr(d time.Duration) string {
	if ind.Slices {
		return fmt.Sprintf("sum_over_time((%s > bool %s)[%s:1m])", ind.badRatio(), ind.threshold(), sliceRange(d))
	}
	if ind.Bad != "" {
		return fmt.Sprintf("(%s or vector(0))", events(ind.Bad, d))
	}
	return fmt.Sprintf("(%s - %s)", events(ind.Total, d), events(ind.Good, d))
}

// totalExpr counts all events (or the minutes with data) over d.
func (ind Indicator) totalExpr(d time.Duration) string {
	if ind.Slices {
		return fmt.Sprintf("count_over_time(%s[%s:1m])", perSecond(ind.Total), sliceRange(d))
	}
	return events(ind.Total, d)
}

func (ind Indicator) badRatio() string {
	if ind.Bad != "" {
		return fmt.Sprintf("((%s or vector(0)) / %s)", perSecond(ind.Bad), perSecond(ind.Total))
	}
	return fmt.Sprintf("(1 - %s / %s)", perSecond(ind.Good), perSecond(ind.Total))
}

// selectorRE matches a plain selector: a metric name with or without
// label matchers, or label matchers alone.
var selectorRE = regexp.MustCompile(`^\s*(?:[a-zA-Z_:][a-zA-Z0-9_:]*\s*)?(?:\{[^{}]*\})?\s*$`)

// isSelector tells a selector of counters from an expression, which is
// read as a rate per second (what OpenSLO files often hold, such as
// sum(rate(http_requests_total[1m]))).
func isSelector(q string) bool { return selectorRE.MatchString(q) && strings.TrimSpace(q) != "" }

// events counts a query's events over d: the increase of a selector's
// counters (resets followed), or a rate expression summed minute by minute.
func events(q string, d time.Duration) string {
	if isSelector(q) {
		return fmt.Sprintf("sum(increase(%s[%s]))", q, promDuration(d))
	}
	return fmt.Sprintf("(sum_over_time(sum(%s)[%s:1m]) * 60)", q, sliceRange(d))
}

// perSecond is a query's events per second at a moment.
func perSecond(q string) string {
	if isSelector(q) {
		return fmt.Sprintf("sum(rate(%s[90s]))", q)
	}
	return fmt.Sprintf("sum(%s)", q)
}

// sliceRange is a subquery's range that leaves out the minute at its
// start, which belongs to the stretch before: Prometheus 2 evaluates a
// subquery at both ends of its range, Prometheus 3 at its end only.
func sliceRange(d time.Duration) string {
	return fmt.Sprintf("%dms", max(d.Milliseconds()-1, 1))
}

func (ind Indicator) threshold() string {
	return strconv.FormatFloat(1-ind.Target, 'g', 10, 64)
}

// Figures are what an indicator counted over a stretch of time: bad and
// total events, or bad minutes and the minutes with data.
type Figures struct {
	Bad   float64 `json:"bad"`
	Total float64 `json:"total"`
}

// Compliance is the share of good: 1 - bad/total.
func (f Figures) Compliance() float64 {
	if f.Total <= 0 {
		return 1
	}
	return 1 - f.Bad/f.Total
}

// Measure counts the indicator's bad and total over (from, to].
func (m *Meter) Measure(ctx context.Context, ind Indicator, from, to time.Time) (Figures, error) {
	if !to.After(from) {
		return Figures{}, nil
	}
	total, err := m.instant(ctx, ind.totalExpr(to.Sub(from)), to)
	if err != nil {
		return Figures{}, err
	}
	bad, err := m.instant(ctx, ind.badExpr(to.Sub(from)), to)
	if err != nil {
		return Figures{}, err
	}
	// increase() extrapolates each series a little at the edges: the
	// difference of two can stray below zero or above the total.
	return Figures{Bad: min(max(bad, 0), total), Total: total}, nil
}

// Buckets counts the bad events (or minutes) of each step from from to
// to, in one range query: the value at each step's end covers the step
// that ends there. Steps without data are absent from the map.
func (m *Meter) Buckets(ctx context.Context, ind Indicator, from, to time.Time, step time.Duration) (map[time.Time]float64, error) {
	if to.Sub(from) < step {
		return map[time.Time]float64{}, nil
	}
	q := ind.badExpr(step)
	pts, err := m.series(ctx, q, promv1.Range{Start: from.Add(step), End: to, Step: step})
	if err != nil {
		return nil, err
	}
	for t, v := range pts {
		pts[t] = max(v, 0)
	}
	return pts, nil
}

// SumByDay adds up buckets (keyed by the end of each step) into the days
// that start at the bounds given, in order: a bucket ending at t belongs
// to the day holding t less a moment.
func SumByDay(buckets map[time.Time]float64, days []time.Time) []float64 {
	out := make([]float64, len(days))
	for t, v := range buckets {
		i := sort.Search(len(days), func(i int) bool { return !days[i].Before(t) }) - 1
		if i >= 0 && i < len(days) {
			out[i] += v
		}
	}
	return out
}
