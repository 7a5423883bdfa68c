package reports

import (
	"time"

	"github.com/amendsdev/amends/models"
)

// Review is one customer's monthly SLO review. Every field is
// customer-facing: no internal postmortem text is ever loaded into it. In
// the customer's version (Audience "customer") our people are shown as the
// provider's team; the internal version keeps our assignees.
type Review struct {
	Audience string      `json:"audience"`
	Customer CustomerRef `json:"customer"`
	Month    string      `json:"month"`
	Label    string      `json:"label"`
	From     time.Time   `json:"from"`
	To       time.Time   `json:"to"`
	// AsOf is the moment the items are shown at: the month's end, or now
	// for the current month.
	AsOf    time.Time `json:"as_of"`
	Current bool      `json:"current"`
	// Stage is how this copy came to be: computed on request (live),
	// prepared by the monthly job (draft) or frozen when issued (issued);
	// GeneratedAt is when it was computed.
	Stage       string          `json:"stage"`
	GeneratedAt time.Time       `json:"generated_at"`
	Counts      Counts          `json:"counts"`
	Incidents   []Incident      `json:"incidents"`
	Budgets     []Budget        `json:"budgets"`
	Postmortems []PostmortemRef `json:"postmortems"`
	OpenOurs    []Item          `json:"open_critical_ours"`
	OpenYours   []Item          `json:"open_critical_yours"`
	Closed      []Item          `json:"closed_in_month"`
	New         []Item          `json:"new_in_month"`
	// Late are items written since the month ended for its incidents, as
	// they stand at GeneratedAt: not part of how the month ended, listed
	// apart so that a review prepared after the month shows them.
	Late  []Item       `json:"written_since_month_end"`
	Trend []TrendPoint `json:"trend"`
	// Missing are the measured figures the review had to go without.
	Missing []Missing `json:"missing_figures,omitempty"`
}

// The stages of a review.
const (
	StageLive   = "live"
	StageDraft  = "draft"
	StageIssued = "issued"
)

// CustomerRef names the customer a review is for.
type CustomerRef struct {
	ID       uint   `json:"id"`
	Name     string `json:"name"`
	Slug     string `json:"slug"`
	TimeZone string `json:"time_zone"`
}

// Counts are the headline numbers of a review.
type Counts struct {
	Incidents         int     `json:"incidents"`
	OpenCriticalOurs  int     `json:"open_critical_ours"`
	OpenCriticalYours int     `json:"open_critical_yours"`
	Overdue           int     `json:"overdue"`
	ClosedInMonth     int     `json:"closed_in_month"`
	NewInMonth        int     `json:"new_in_month"`
	BadMinutes        float64 `json:"bad_minutes"`
	WorstBudgetShare  float64 `json:"worst_budget_share"`
}

// Incident is a postmortem whose incident started in the month.
type Incident struct {
	PostmortemRef
	Impacts []ImpactLine `json:"impacts"`
}

// ImpactLine is what one incident cost against one SLO.
type ImpactLine struct {
	SLO         string  `json:"slo"` // the display name, as in every table
	SLOName     string  `json:"slo_name"`
	BadMinutes  float64 `json:"bad_minutes"`
	BudgetShare float64 `json:"budget_share"`
	// Measured is the cost the SLO's SLI measured, when it has one.
	Measured *MeasuredCost `json:"measured,omitempty"`
}

// PostmortemRef is the customer-facing face of a postmortem.
type PostmortemRef struct {
	ID         uint       `json:"id"`
	Title      string     `json:"title"`
	Severity   string     `json:"severity"`
	Visibility string     `json:"visibility"`
	Status     string     `json:"status"`
	StartedAt  *time.Time `json:"started_at"`
	ResolvedAt *time.Time `json:"resolved_at"`
	Summary    string     `json:"summary"`
	NextSteps  string     `json:"next_steps"`
}

// Item is an action item as it stood at the review's moment.
type Item struct {
	ID              uint         `json:"id"`
	PostmortemID    uint         `json:"postmortem_id"`
	PostmortemTitle string       `json:"postmortem_title"`
	Title           string       `json:"title"`
	Side            string       `json:"side"` // "ours" or "yours"
	Priority        string       `json:"priority"`
	Status          string       `json:"status"`
	Assignee        string       `json:"assignee,omitempty"`
	DueDate         *models.Date `json:"due_date"`
	AgeDays         int          `json:"age_days"`
	Overdue         bool         `json:"overdue"`
	GitHubState     string       `json:"github_state,omitempty"`
	CreatedAt       time.Time    `json:"created_at"`
	ClosedAt        *time.Time   `json:"closed_at,omitempty"`
}

// TrendPoint is one month of the six-month trend.
type TrendPoint struct {
	Month             string  `json:"month"`
	OpenCriticalOurs  int     `json:"open_critical_ours"`
	OpenCriticalYours int     `json:"open_critical_yours"`
	BadMinutes        float64 `json:"bad_minutes"`
	WorstBudgetShare  float64 `json:"worst_budget_share"`
}

// OpenCritical is the month's open critical items on both sides.
func (p TrendPoint) OpenCritical() int { return p.OpenCriticalOurs + p.OpenCriticalYours }

// AllItems lists every item of the review once per section it appears in,
// with the section's name, for one-row-per-item formats.
func (r *Review) AllItems() []SectionItem {
	var out []SectionItem
	for _, s := range []struct {
		name  string
		items []Item
	}{{"open_critical_ours", r.OpenOurs}, {"open_critical_yours", r.OpenYours}, {"closed_in_month", r.Closed}, {"new_in_month", r.New}, {"written_since_month_end", r.Late}} {
		for _, it := range s.items {
			out = append(out, SectionItem{Section: s.name, Item: it})
		}
	}
	return out
}

// SectionItem is an item with the review section it is listed in.
type SectionItem struct {
	Section string
	Item
}
