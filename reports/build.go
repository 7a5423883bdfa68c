package reports

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/amendsdev/amends/models"
)

// TrendMonths is how many months the trend shows, the review's included.
const TrendMonths = 6

// Build computes the customer's version of a customer's review for a
// month, whoever asks (the actor must be able to see the customer): what
// staff send is what the customer sees. A past month shows the items as
// they stood at its end; the current month shows them now; a future month
// is refused. BuildFor also makes the internal version.
func Build(ctx context.Context, store *models.Store, actor *models.User, customerID uint, m Month) (*Review, error) {
	return Reviews{Store: store}.Build(ctx, actor, customerID, m)
}

// Build is the package's Build with the SLIs measured.
func (rv Reviews) Build(ctx context.Context, actor *models.User, customerID uint, m Month) (*Review, error) {
	return rv.build(ctx, actor, customerID, m, AudienceCustomer)
}

func (rv Reviews) build(ctx context.Context, actor *models.User, customerID uint, m Month, aud Audience) (*Review, error) {
	store := rv.Store
	c, err := store.GetCustomer(ctx, actor, customerID)
	if err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("time zone of customer %d: %w", c.ID, err)
	}
	now := store.Now()
	from, _ := m.Bounds(loc)
	if !from.Before(now) {
		return nil, invalid("month", fmt.Sprintf("%s has not started yet in %s", m, c.TimeZone))
	}
	trendFrom, _ := m.Add(1 - TrendMonths).Bounds(loc)
	// Items are read up to now, not to the month's end: those written
	// since it ended for its incidents are listed apart (Late).
	d, err := store.ReviewData(ctx, actor, c.ID, trendFrom, now)
	if err != nil {
		return nil, fmt.Errorf("review of customer %d for %s: %w", c.ID, m, err)
	}
	who, err := loadPeople(ctx, store, aud)
	if err != nil {
		return nil, fmt.Errorf("review of customer %d for %s: %w", c.ID, m, err)
	}
	b := &builder{d: d, loc: loc, now: now, people: who}
	r := b.review(m)
	r.Audience = string(aud)
	r.Stage, r.GeneratedAt = StageLive, now
	if !r.Current {
		r.Late = b.late(r.To, r.Incidents)
	}
	for i := 1 - TrendMonths; i < 0; i++ {
		r.Trend = append(r.Trend, b.trendPoint(m.Add(i)))
	}
	// The review's own month is measured; the months before keep their
	// recorded figures, so that a review costs one month of queries.
	rv.measure(ctx, r, d.SLOs, aud)
	r.countBudgets()
	r.Trend = append(r.Trend, TrendPoint{Month: m.String(), OpenCriticalOurs: r.Counts.OpenCriticalOurs,
		OpenCriticalYours: r.Counts.OpenCriticalYours, BadMinutes: r.Counts.BadMinutes, WorstBudgetShare: r.Counts.WorstBudgetShare})
	return r, nil
}

// countBudgets sums the budgets into the headline counts.
func (r *Review) countBudgets() {
	r.Counts.WorstBudgetShare = worstShare(r.Budgets)
	r.Counts.BadMinutes = 0
	for _, bu := range r.Budgets {
		r.Counts.BadMinutes += bu.MonthMinutes
	}
	r.Counts.BadMinutes = Round(r.Counts.BadMinutes, 3)
}

// builder holds one customer's material while the review is computed.
type builder struct {
	d      *models.ReviewData
	loc    *time.Location
	now    time.Time
	people people // how assignees are shown to the review's audience
}

// asOf is the moment a month is shown at: its end, or now while it lasts.
func (b *builder) asOf(m Month) (from, to, at time.Time) {
	from, to = m.Bounds(b.loc)
	return from, to, minTime(to, b.now)
}

func (b *builder) review(m Month) *Review {
	from, to, at := b.asOf(m)
	c := b.d.Customer
	r := &Review{
		Customer: CustomerRef{ID: c.ID, Name: c.Name, Slug: c.Slug, TimeZone: c.TimeZone},
		Month:    m.String(), Label: m.Label(), From: from, To: to, AsOf: at, Current: at.Before(to),
	}
	monthPMs := map[uint]bool{}
	pms := b.postmortemsAt(at)
	var charges, month []Charge
	for _, pm := range pms {
		if !startedBefore(pm, at) {
			continue
		}
		r.Postmortems = append(r.Postmortems, pmRef(pm))
		inMonth := pm.StartedAt != nil && !pm.StartedAt.Before(from)
		if inMonth {
			monthPMs[pm.ID] = true
		}
		for _, imp := range b.d.Impacts {
			if imp.PostmortemID == pm.ID {
				charges = append(charges, ChargeOf(imp, pm))
				if inMonth {
					month = append(month, ChargeOf(imp, pm))
				}
			}
		}
	}
	for _, s := range b.d.SLOs {
		r.Budgets = append(r.Budgets, BudgetAt(s, at, charges, month))
	}
	for _, pm := range pms {
		if monthPMs[pm.ID] {
			r.Incidents = append(r.Incidents, Incident{PostmortemRef: pmRef(pm), Impacts: b.impactLines(pm.ID, r.Budgets)})
		}
	}
	b.items(r, from, at, monthPMs, pms)
	r.Counts = Counts{
		Incidents: len(r.Incidents), OpenCriticalOurs: len(r.OpenOurs), OpenCriticalYours: len(r.OpenYours),
		ClosedInMonth: len(r.Closed), NewInMonth: len(r.New),
	}
	for _, it := range append(append([]Item{}, r.OpenOurs...), r.OpenYours...) {
		if it.Overdue {
			r.Counts.Overdue++
		}
	}
	r.countBudgets()
	return r
}

// postmortemsAt are the postmortems as the customer could read them at at:
// as they stood then, or, for one shared with them only later, as it
// stands now (never a text from before they could read it).
func (b *builder) postmortemsAt(at time.Time) []models.Postmortem {
	out := make([]models.Postmortem, len(b.d.Postmortems))
	for i, cur := range b.d.Postmortems {
		out[i] = cur
		if pm, ok := b.d.PostmortemBefore(cur.ID, at); ok {
			out[i] = pm
		}
	}
	return out
}

// items sorts every item the customer could see at at, as it stood then,
// into the review's sections.
func (b *builder) items(r *Review, from, at time.Time, monthPMs map[uint]bool, pms []models.Postmortem) {
	today := models.DateOf(at.In(b.loc))
	titles := make(map[uint]string, len(pms))
	for _, pm := range pms {
		titles[pm.ID] = pm.Title
	}
	for _, cur := range b.d.Items {
		it, _, visible := b.d.ItemBefore(cur, at)
		if !visible {
			continue
		}
		v := b.item(it, at, today)
		v.PostmortemTitle = titles[it.PostmortemID]
		if monthPMs[it.PostmortemID] {
			r.New = append(r.New, v)
		}
		if it.IsOpen() && models.IsCritical(it.Priority) {
			if it.Owner == models.OwnerProvider {
				r.OpenOurs = append(r.OpenOurs, v)
			} else {
				r.OpenYours = append(r.OpenYours, v)
			}
			continue
		}
		if !it.IsOpen() && b.wasOpenAt(cur, from) {
			r.Closed = append(r.Closed, v)
		}
	}
	for _, s := range [][]Item{r.OpenOurs, r.OpenYours} {
		sort.SliceStable(s, func(i, j int) bool { return lessUrgent(s[j], s[i]) })
	}
}

// wasOpenAt says whether the item was open at t, or created after it: an
// item closed by the month's end that was open at its start closed in it.
func (b *builder) wasOpenAt(cur models.ActionItem, t time.Time) bool {
	it, existed, _ := b.d.ItemBefore(cur, t)
	return !existed || it.IsOpen()
}

func (b *builder) item(it models.ActionItem, at time.Time, today models.Date) Item {
	v := Item{
		ID: it.ID, PostmortemID: it.PostmortemID, Title: it.Title, Side: "ours", Priority: it.Priority,
		Status: it.Status, Assignee: it.Assignee, DueDate: it.DueDate, Overdue: it.IsOverdue(today),
		AgeDays: int(at.Sub(it.CreatedAt).Hours() / 24), GitHubState: it.GitHubState, CreatedAt: it.CreatedAt,
		ClosedAt: it.ClosedAt,
	}
	if it.Owner == models.OwnerCustomer {
		v.Side = "yours"
	}
	v.Assignee = b.people.assignee(it.Owner, it.Assignee)
	return v
}

// lessUrgent orders open items: P0 before P1, then overdue, then oldest.
func lessUrgent(a, b Item) bool {
	if a.Priority != b.Priority {
		return a.Priority > b.Priority
	}
	if a.Overdue != b.Overdue {
		return !a.Overdue
	}
	return a.CreatedAt.After(b.CreatedAt)
}

func (b *builder) trendPoint(m Month) TrendPoint {
	r := b.review(m)
	return TrendPoint{Month: m.String(), OpenCriticalOurs: r.Counts.OpenCriticalOurs,
		OpenCriticalYours: r.Counts.OpenCriticalYours, BadMinutes: r.Counts.BadMinutes,
		WorstBudgetShare: r.Counts.WorstBudgetShare}
}

// impactLines are what an incident cost each SLO, named as everywhere
// else by the SLO's display name, as a share of its budget in the
// review's window.
func (b *builder) impactLines(pmID uint, budgets []Budget) []ImpactLine {
	var out []ImpactLine
	for _, imp := range b.d.Impacts {
		if imp.PostmortemID != pmID {
			continue
		}
		line := ImpactLine{SLO: displayName(imp.SLO), SLOName: imp.SLO.Name, BadMinutes: Round(imp.BadMinutes, 3)}
		for _, bu := range budgets {
			if bu.SLO == imp.SLO.Name {
				line.BudgetShare = Round(shareOf(imp.BadMinutes, bu.BudgetMinutes), 6)
			}
		}
		out = append(out, line)
	}
	return out
}

func pmRef(pm models.Postmortem) PostmortemRef {
	return PostmortemRef{ID: pm.ID, Title: pm.Title, Severity: pm.Severity, Visibility: pm.Visibility,
		Status: pm.Status, StartedAt: pm.StartedAt, ResolvedAt: pm.ResolvedAt, Summary: pm.ExternalSummary,
		NextSteps: pm.ExternalNextSteps}
}

// startedBefore says whether a postmortem's incident (or, without a start,
// the postmortem) existed before t.
func startedBefore(pm models.Postmortem, t time.Time) bool {
	if pm.StartedAt != nil {
		return pm.StartedAt.Before(t)
	}
	return pm.CreatedAt.Before(t)
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// late lists the items written since the month ended (at or after end)
// for the month's incidents, as they stand now, when the customer may
// read them now: the same rule as every other section, applied today.
func (b *builder) late(end time.Time, incidents []Incident) []Item {
	titles := map[uint]string{}
	for _, in := range incidents {
		titles[in.ID] = in.Title
	}
	// Just after now, so that a change made this very moment counts.
	now := b.now.Add(time.Second)
	today := models.DateOf(b.now.In(b.loc))
	var out []Item
	for _, cur := range b.d.Items {
		title, ok := titles[cur.PostmortemID]
		if !ok || cur.CreatedAt.Before(end) {
			continue
		}
		it, _, visible := b.d.ItemBefore(cur, now)
		if !visible {
			continue
		}
		v := b.item(it, b.now, today)
		v.PostmortemTitle = title
		out = append(out, v)
	}
	return out
}
