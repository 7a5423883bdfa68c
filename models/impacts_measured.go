package models

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"gorm.io/gorm"
)

// The sources of an impact's figure.
const (
	ImpactRecorded = "recorded"
	ImpactMeasured = "measured"
)

// MeasuredImpact is an incident's cost against one SLO as measured from
// its SLI, to adopt as the impact: BadMinutes is the figure kept (bad
// minutes for Timeslices, the equivalent share of the budget for
// Occurrences), with the events, the queries and the window it came from
// for the history.
type MeasuredImpact struct {
	SLOID       uint
	BadMinutes  float64
	BadEvents   float64
	TotalEvents float64
	Queries     string
	From, To    time.Time
}

// AdoptMeasuredImpact records a measured cost as the postmortem's impact
// on the SLO, replacing a typed one, and writes the adoption to the
// history with its queries, window and figure (staff-only, as every
// impact change). Adopting the same figure again changes nothing.
func (s *Store) AdoptMeasuredImpact(ctx context.Context, actor *User, pmID uint, in MeasuredImpact) (*Impact, error) {
	if actor.IsCustomer() {
		return nil, fmt.Errorf("postmortem %d: %w", pmID, ErrNotFound)
	}
	if !actor.Can(PermWritePostmortems) {
		return nil, ErrForbidden
	}
	var imp Impact
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		pm, err := s.getPostmortem(tx, actor, pmID)
		if err != nil {
			return err
		}
		var slo SLO
		if err := tx.First(&slo, in.SLOID).Error; err != nil || !namesCustomer(pm, slo.CustomerID) {
			return &ValidationError{Fields: map[string]string{"slo_id": "must be an SLO of a customer this postmortem names"}}
		}
		if err := checkMeasured(in, slo); err != nil {
			return err
		}
		res := tx.Where("postmortem_id = ? AND slo_id = ?", pmID, slo.ID).Limit(1).Find(&imp)
		if res.Error != nil {
			return fmt.Errorf("find impact of postmortem %d on SLO %d: %w", pmID, slo.ID, res.Error)
		}
		imp.SLO = slo
		old := ""
		if res.RowsAffected > 0 {
			if imp.Source == ImpactMeasured && imp.BadMinutes == in.BadMinutes && imp.BadEvents == in.BadEvents {
				return nil
			}
			old = impactLine(&imp)
		}
		imp.PostmortemID, imp.SLOID, imp.BadMinutes = pmID, slo.ID, in.BadMinutes
		imp.Source, imp.BadEvents, imp.TotalEvents = ImpactMeasured, in.BadEvents, in.TotalEvents
		if res.RowsAffected == 0 {
			imp.CreatedAt = s.Now()
		}
		if err := tx.Omit("SLO").Save(&imp).Error; err != nil {
			return fmt.Errorf("save measured impact of postmortem %d: %w", pmID, err)
		}
		ch := []change{{Field: "impact", Old: old, New: impactLine(&imp)}}
		why := fmt.Sprintf("measured from the SLI over %s to %s: %s", in.From.UTC().Format(time.RFC3339), in.To.UTC().Format(time.RFC3339), in.Queries)
		return newAudit(tx, actor, s.Now()).record(EntityPostmortem, pmID, pmID, ActionUpdated, ch, why)
	})
	if err != nil {
		return nil, err
	}
	return &imp, nil
}

// checkMeasured bounds a measured figure: a number, not negative, and no
// more than the minutes of the SLO's window.
func checkMeasured(in MeasuredImpact, slo SLO) error {
	for _, v := range []float64{in.BadMinutes, in.BadEvents, in.TotalEvents} {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return errors.New("measured impact: figures must be numbers of at least 0")
		}
	}
	if w := float64(slo.WindowDays) * 1440; in.BadMinutes > w {
		return &ValidationError{Fields: map[string]string{"bad_minutes": fmt.Sprintf("measured %s, more than the %d-day window holds", fmtMinutes(in.BadMinutes), slo.WindowDays)}}
	}
	return nil
}
