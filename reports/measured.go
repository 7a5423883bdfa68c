package reports

import (
	"context"
	"sync"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/sli"
)

// Measured is what an SLO's SLI says over the review's month and over the
// SLO's window as of the review's moment. Unit is "events" (Occurrences)
// or "minutes" (Timeslices: bad minutes of the minutes with data). The
// budget in events is (1 - target) × the window's events.
type Measured struct {
	Unit             string    `json:"unit"`
	Month            Figures   `json:"month"`
	Window           Figures   `json:"window"`
	BudgetEvents     float64   `json:"budget_events,omitempty"`
	ConsumedShare    float64   `json:"consumed_share"`
	RemainingShare   float64   `json:"remaining_share"`
	Daily            []DayBurn `json:"daily"`
	DailyUnavailable bool      `json:"daily_unavailable,omitempty"`
}

// Figures are measured bad and total with the compliance they make.
type Figures struct {
	Bad        float64 `json:"bad"`
	Total      float64 `json:"total"`
	Compliance float64 `json:"compliance"`
}

// DayBurn is one day of the month (in the customer's zone): what it cost,
// and that as a share of the SLO's budget.
type DayBurn struct {
	Date  string  `json:"date"`
	Bad   float64 `json:"bad"`
	Share float64 `json:"share"`
}

// MeasuredCost is an incident's cost against an SLO as its SLI measured it
// from the incident's start to its resolution.
type MeasuredCost struct {
	Unit        string  `json:"unit"`
	Bad         float64 `json:"bad"`
	Total       float64 `json:"total"`
	BudgetShare float64 `json:"budget_share"`
}

// Missing is a measured figure the review could not get, and why: for the
// customer always "measurement unavailable", for staff the kind of
// failure (never the query or the store's own text: those are logged).
type Missing struct {
	SLO    string `json:"slo"`
	Figure string `json:"figure"`
	Reason string `json:"reason"`
}

// The sources of a budget's figures.
const (
	SourceMeasured = "measured"
	SourceRecorded = "recorded"
)

// Reviews builds, issues and prepares reviews with the SLIs measured by
// Meter. With no Meter every figure is as recorded by hand: that is what
// the package functions Build, BuildFor, Issue and PrepareDrafts do.
type Reviews struct {
	Store *models.Store
	Meter *sli.Meter
}

// measurement is one review's measuring: the tasks run at once, each
// query waiting for a slot of the meter, and their results are applied to
// the review in one place afterwards.
type measurement struct {
	meter   *sli.Meter
	r       *Review
	aud     Audience
	mu      sync.Mutex
	missing []Missing
}

// sloMeasure is the measuring of one SLO with an SLI.
type sloMeasure struct {
	slo           models.SLO
	ind           sli.Indicator
	month, window sli.Figures
	monthErr      error
	windowErr     error
	buckets       map[time.Time]float64
	bucketsErr    error
	incidents     map[uint]sli.Figures
}

// measure fills in the review's measured figures for every SLO with an
// SLI; a figure it cannot get leaves the recorded one, and says so.
func (rv Reviews) measure(ctx context.Context, r *Review, slos []models.SLO, aud Audience) {
	if rv.Meter == nil {
		return
	}
	ms := &measurement{meter: rv.Meter, r: r, aud: aud}
	var jobs []*sloMeasure
	var wg sync.WaitGroup
	for _, s := range slos {
		if !s.HasSLI() {
			continue
		}
		ind, err := sli.IndicatorOf(s, r.Customer.Slug)
		if err != nil {
			ms.miss(s, "all measured figures", err)
			continue
		}
		j := &sloMeasure{slo: s, ind: ind, incidents: map[uint]sli.Figures{}}
		jobs = append(jobs, j)
		ms.run(ctx, &wg, j)
	}
	wg.Wait()
	for _, j := range jobs {
		ms.apply(j)
	}
	r.Missing = append(r.Missing, ms.missing...)
}

// run starts the queries of one SLO: month, window, daily buckets, and
// each of the month's resolved incidents.
func (ms *measurement) run(ctx context.Context, wg *sync.WaitGroup, j *sloMeasure) {
	r := ms.r
	w := WindowAt(j.slo, r.AsOf)
	step := burnStep(r.From)
	goDo := func(f func()) {
		wg.Add(1)
		go func() { defer wg.Done(); f() }()
	}
	goDo(func() { j.month, j.monthErr = ms.meter.Measure(ctx, j.ind, r.From, r.AsOf) })
	goDo(func() { j.window, j.windowErr = ms.meter.Measure(ctx, j.ind, w.From, w.To) })
	goDo(func() { j.buckets, j.bucketsErr = ms.meter.Buckets(ctx, j.ind, r.From, r.AsOf, step) })
	var mu sync.Mutex
	for _, in := range r.Incidents {
		if in.StartedAt == nil || in.ResolvedAt == nil || !in.ResolvedAt.After(*in.StartedAt) {
			continue
		}
		id, from, to := in.ID, *in.StartedAt, *in.ResolvedAt
		goDo(func() {
			f, err := ms.meter.Measure(ctx, j.ind, from, to)
			if err != nil {
				ms.miss(j.slo, "cost of incident \""+titleOf(r, id)+"\"", err)
				return
			}
			mu.Lock()
			j.incidents[id] = f
			mu.Unlock()
		})
	}
}

// burnStep is the step of the daily burn's range query: an hour, or a
// quarter of an hour where the zone's days do not start on a UTC hour.
func burnStep(from time.Time) time.Duration {
	if _, off := from.Zone(); off%3600 != 0 {
		return 15 * time.Minute
	}
	return time.Hour
}

func titleOf(r *Review, id uint) string {
	for _, in := range r.Incidents {
		if in.ID == id {
			return in.Title
		}
	}
	return ""
}

// miss notes a figure the review goes without, with why.
func (ms *measurement) miss(s models.SLO, figure string, err error) {
	reason := sli.Unavailable
	if ms.aud == AudienceInternal {
		reason = sli.Reason(err)
	}
	ms.mu.Lock()
	ms.missing = append(ms.missing, Missing{SLO: displayName(s), Figure: figure, Reason: reason})
	ms.mu.Unlock()
}

// apply puts one SLO's measured figures into its budget and the month's
// incidents. Without both the month and the window the budget stays as
// recorded.
func (ms *measurement) apply(j *sloMeasure) {
	r := ms.r
	bi := -1
	for i := range r.Budgets {
		if r.Budgets[i].SLO == j.slo.Name {
			bi = i
		}
	}
	if bi < 0 {
		return
	}
	b := &r.Budgets[bi]
	switch {
	case j.monthErr != nil:
		ms.miss(j.slo, "compliance and budget", j.monthErr)
		return
	case j.windowErr != nil:
		ms.miss(j.slo, "compliance and budget", j.windowErr)
		return
	}
	m := &Measured{Unit: j.ind.Unit(), Month: figures(j.month), Window: figures(j.window)}
	budget := b.BudgetMinutes // Timeslices: minutes
	if !j.ind.Slices {
		m.BudgetEvents = Round((1-j.slo.Target)*j.window.Total, 3)
		budget = m.BudgetEvents
	}
	m.ConsumedShare = Round(shareOf(j.window.Bad, budget), 6)
	m.RemainingShare = Round(1-m.ConsumedShare, 6)
	b.Source, b.Measured = SourceMeasured, m
	// The minutes columns keep one meaning for every SLO: bad minutes, or
	// for events the minutes of budget the same share is.
	b.ConsumedShare, b.MonthShare = m.ConsumedShare, Round(shareOf(j.month.Bad, budget), 6)
	b.ConsumedMinutes = Round(b.ConsumedShare*b.BudgetMinutes, 3)
	b.MonthMinutes = Round(b.MonthShare*b.BudgetMinutes, 3)
	b.RemainingMinutes = Round(b.BudgetMinutes-b.ConsumedMinutes, 3)
	b.Exhausted = b.ConsumedMinutes > 0 && b.ConsumedShare >= 1
	if j.bucketsErr != nil {
		m.DailyUnavailable = true
		ms.miss(j.slo, "daily burn", j.bucketsErr)
	} else {
		m.Daily = dailyBurn(r, j.buckets, budget)
	}
	for i := range r.Incidents {
		ms.applyIncident(&r.Incidents[i], j, b, budget)
	}
}

// applyIncident adds the measured cost to the incident's line for the
// SLO, adding a line where nothing was recorded but the SLI saw it burn.
func (ms *measurement) applyIncident(in *Incident, j *sloMeasure, b *Budget, budget float64) {
	f, ok := j.incidents[in.ID]
	if !ok {
		return
	}
	cost := &MeasuredCost{Unit: j.ind.Unit(), Bad: Round(f.Bad, 3), Total: Round(f.Total, 3), BudgetShare: Round(shareOf(f.Bad, budget), 6)}
	for k := range in.Impacts {
		if in.Impacts[k].SLOName == j.slo.Name {
			in.Impacts[k].Measured = cost
			return
		}
	}
	// Without a recorded impact, the incident gets a line where it burnt
	// the SLO faster than its target allows, not for background errors.
	if f.Bad > 0 && (j.ind.Slices || f.Bad > (1-j.slo.Target)*f.Total) {
		in.Impacts = append(in.Impacts, ImpactLine{SLO: b.DisplayName, SLOName: j.slo.Name, Measured: cost})
	}
}

func figures(f sli.Figures) Figures {
	return Figures{Bad: Round(f.Bad, 3), Total: Round(f.Total, 3), Compliance: Round(f.Compliance(), 6)}
}

// dailyBurn sums the buckets into the month's days up to the review's
// moment, each as a share of the budget.
func dailyBurn(r *Review, buckets map[time.Time]float64, budget float64) []DayBurn {
	loc := r.From.Location()
	var days []time.Time
	for d := r.From; d.Before(r.AsOf); d = d.AddDate(0, 0, 1) {
		days = append(days, d)
	}
	per := sli.SumByDay(buckets, days)
	out := make([]DayBurn, len(days))
	for i, d := range days {
		out[i] = DayBurn{Date: d.In(loc).Format("2006-01-02"), Bad: Round(per[i], 3), Share: Round(shareOf(per[i], budget), 6)}
	}
	return out
}
