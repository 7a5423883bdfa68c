package sli

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/amendsdev/amends/models"
)

// Impact is a postmortem's cost against one SLO as its SLI measures it
// over the incident, with what was typed beside it. It is for staff only:
// it carries the queries and, when it failed, why.
type Impact struct {
	SLOID    uint      `json:"slo_id"`
	SLO      string    `json:"slo"`
	Customer string    `json:"customer"`
	Unit     string    `json:"unit"`
	From     time.Time `json:"from"`
	To       time.Time `json:"to"`
	Queries  string    `json:"queries"`
	// Bad and Total are events (or bad minutes and minutes with data);
	// BudgetShare is Bad as a share of the budget of the SLO's window
	// ending at the resolution; BadMinutes is the figure adoption keeps:
	// bad minutes, or the minutes of budget the same share is.
	Bad         float64  `json:"bad"`
	Total       float64  `json:"total"`
	BudgetShare float64  `json:"budget_share"`
	BadMinutes  float64  `json:"bad_minutes"`
	Recorded    *float64 `json:"recorded_bad_minutes"`
	Adopted     bool     `json:"adopted"`
	Error       string   `json:"error,omitempty"`
}

// Measured reports whether the figure was measured.
func (i Impact) Measured() bool { return i.Error == "" }

// ErrNoWindow is a postmortem that cannot be measured: it needs both
// started_at and resolved_at.
var ErrNoWindow = errors.New("measuring needs the incident's started_at and resolved_at")

// MeasurePostmortem measures the incident's cost against every SLO with
// an SLI of the customers the postmortem names, as actor sees them. A
// query that fails is that SLO's Error, not the call's.
func (m *Meter) MeasurePostmortem(ctx context.Context, store *models.Store, actor *models.User, pmID uint) ([]Impact, error) {
	pm, err := store.GetPostmortem(ctx, actor, pmID)
	if err != nil {
		return nil, err
	}
	if pm.StartedAt == nil || pm.ResolvedAt == nil || !pm.ResolvedAt.After(*pm.StartedAt) {
		return nil, fmt.Errorf("postmortem %d: %w", pmID, ErrNoWindow)
	}
	recorded, err := store.ListImpacts(ctx, actor, pmID)
	if err != nil {
		return nil, err
	}
	var out []Impact
	var slos []models.SLO
	var slugs []string
	for _, cu := range pm.Customers {
		list, err := store.ListSLOs(ctx, actor, cu.ID)
		if err != nil {
			return nil, err
		}
		for _, s := range list {
			if s.HasSLI() {
				slos, slugs = append(slos, s), append(slugs, cu.Slug)
				out = append(out, Impact{SLOID: s.ID, SLO: s.DisplayName, Customer: cu.Name, From: *pm.StartedAt, To: *pm.ResolvedAt})
			}
		}
	}
	var wg sync.WaitGroup
	for i := range out {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.measureImpact(ctx, &out[i], slos[i], slugs[i])
		}()
	}
	wg.Wait()
	for i := range out {
		for _, r := range recorded {
			if r.SLOID == out[i].SLOID {
				v := r.BadMinutes
				out[i].Recorded = &v
				out[i].Adopted = r.Source == models.ImpactMeasured && out[i].Measured() && r.BadEvents == out[i].Bad
			}
		}
	}
	return out, nil
}

// measureImpact fills one SLO's figures in.
func (m *Meter) measureImpact(ctx context.Context, imp *Impact, slo models.SLO, slug string) {
	ind, err := IndicatorOf(slo, slug)
	if err != nil {
		imp.Error = err.Error()
		return
	}
	imp.Unit, imp.Queries = ind.Unit(), ind.Queries()
	f, err := m.Measure(ctx, ind, imp.From, imp.To)
	if err != nil {
		imp.Error = Reason(err)
		return
	}
	imp.Bad, imp.Total = round(f.Bad, 3), round(f.Total, 3)
	budgetMinutes := slo.BudgetMinutes()
	if ind.Slices {
		imp.BadMinutes = imp.Bad
		imp.BudgetShare = round(share(imp.Bad, budgetMinutes), 6)
		return
	}
	// The budget in events is (1 - target) of the window's events, the
	// window being the SLO's days up to the incident's resolution.
	w, err := m.Measure(ctx, ind, imp.To.Add(-time.Duration(slo.WindowDays)*24*time.Hour), imp.To)
	if err != nil {
		imp.Error = Reason(err)
		return
	}
	imp.BudgetShare = round(share(f.Bad, (1-slo.Target)*w.Total), 6)
	imp.BadMinutes = round(imp.BudgetShare*budgetMinutes, 3)
}

// Adopt measures the postmortem and keeps the figures measured as its
// impacts (all SLOs with an SLI, or only sloID when it is not 0), each
// adoption in the history with its queries, window and figure. It
// returns every measure, adopted or why not.
func (m *Meter) Adopt(ctx context.Context, store *models.Store, actor *models.User, pmID, sloID uint) ([]Impact, error) {
	imps, err := m.MeasurePostmortem(ctx, store, actor, pmID)
	if err != nil {
		return nil, err
	}
	found := sloID == 0
	for i, imp := range imps {
		if sloID != 0 && imp.SLOID != sloID {
			continue
		}
		found = true
		if !imp.Measured() {
			continue
		}
		_, err := store.AdoptMeasuredImpact(ctx, actor, pmID, models.MeasuredImpact{SLOID: imp.SLOID, BadMinutes: imp.BadMinutes,
			BadEvents: imp.Bad, TotalEvents: imp.Total, Queries: imp.Queries, From: imp.From, To: imp.To})
		if err != nil {
			return nil, err
		}
		v := imp.BadMinutes
		imps[i].Recorded, imps[i].Adopted = &v, true
	}
	if !found {
		return nil, &models.ValidationError{Fields: map[string]string{"slo_id": "must be an SLO with an SLI of a customer this postmortem names"}}
	}
	return imps, nil
}

func share(v, budget float64) float64 {
	if budget <= 0 {
		if v > 0 {
			return 1
		}
		return 0
	}
	return v / budget
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}
