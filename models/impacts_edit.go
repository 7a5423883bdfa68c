package models

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"

	"gorm.io/gorm"
)

// ImpactPatch corrects an impact's bad minutes; a wrong SLO is fixed by
// deleting the impact and recording it again.
type ImpactPatch struct {
	BadMinutes Opt[float64] `json:"bad_minutes"`
}

// checkBadMinutes bounds bad minutes by what is possible: positive, no
// longer than the SLO's window, and no longer than the incident when both
// its start and its resolution are known.
func checkBadMinutes(f fieldErrors, pm *Postmortem, slo *SLO, minutes float64) {
	const field = "bad_minutes"
	if minutes <= 0 || math.IsNaN(minutes) || math.IsInf(minutes, 0) {
		f.add(field, "must be a positive number of minutes")
		return
	}
	if w := float64(slo.WindowDays) * 1440; slo.WindowDays > 0 && minutes > w {
		f.add(field, fmt.Sprintf("must be at most %s, the minutes in the SLO's %d-day window", fmtMinutes(w), slo.WindowDays))
		return
	}
	if pm.StartedAt != nil && pm.ResolvedAt != nil {
		if d := pm.ResolvedAt.Sub(*pm.StartedAt).Minutes(); minutes > d {
			f.add(field, fmt.Sprintf("must be at most %s, the minutes from started_at to resolved_at of the incident", fmtMinutes(d)))
		}
	}
}

func fmtMinutes(m float64) string { return strconv.FormatFloat(m, 'f', -1, 64) }

// UpdateImpact corrects an impact's bad minutes, with its audit event.
func (s *Store) UpdateImpact(ctx context.Context, actor *User, pmID, impactID uint, p ImpactPatch) (*Impact, error) {
	var imp *Impact
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		pm, found, err := s.impactOf(tx, actor, pmID, impactID)
		if err != nil {
			return err
		}
		imp = found
		if !p.BadMinutes.Set {
			return nil
		}
		f := fieldErrors{}
		if p.BadMinutes.Null {
			f.add("bad_minutes", "cannot be null")
		} else {
			checkBadMinutes(f, pm, &imp.SLO, p.BadMinutes.V)
		}
		if err := f.err(); err != nil {
			return err
		}
		if p.BadMinutes.V == imp.BadMinutes {
			return nil
		}
		ch := []change{{Field: "impact", Old: impactLine(imp), New: fmt.Sprintf("%s: %g bad minutes", imp.SLO.Name, p.BadMinutes.V)}}
		// A figure typed over a measured one is recorded by hand again.
		imp.BadMinutes, imp.Source, imp.BadEvents, imp.TotalEvents = p.BadMinutes.V, ImpactRecorded, 0, 0
		if err := tx.Model(&Impact{}).Where("id = ?", imp.ID).Updates(map[string]any{"bad_minutes": imp.BadMinutes,
			"source": imp.Source, "bad_events": 0, "total_events": 0}).Error; err != nil {
			return fmt.Errorf("update impact %d: %w", imp.ID, err)
		}
		return newAudit(tx, actor, s.Now()).record(EntityPostmortem, pmID, pmID, ActionUpdated, ch, "")
	})
	if err != nil {
		return nil, err
	}
	return imp, nil
}

// DeleteImpact removes an impact recorded by mistake; the history keeps
// what it said.
func (s *Store) DeleteImpact(ctx context.Context, actor *User, pmID, impactID uint) error {
	return s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		_, imp, err := s.impactOf(tx, actor, pmID, impactID)
		if err != nil {
			return err
		}
		if err := tx.Delete(&Impact{}, imp.ID).Error; err != nil {
			return fmt.Errorf("delete impact %d: %w", imp.ID, err)
		}
		ch := []change{{Field: "impact", Old: impactLine(imp)}}
		return newAudit(tx, actor, s.Now()).record(EntityPostmortem, pmID, pmID, ActionUpdated, ch, "impact deleted")
	})
}

// impactOf loads an impact of a postmortem for a change: only staff who
// may write postmortems change impacts; to customers it does not exist.
func (s *Store) impactOf(tx *gorm.DB, actor *User, pmID, impactID uint) (*Postmortem, *Impact, error) {
	if actor.IsCustomer() {
		return nil, nil, fmt.Errorf("impact %d: %w", impactID, ErrNotFound)
	}
	pm, err := s.getPostmortem(tx, actor, pmID)
	if err != nil {
		return nil, nil, err
	}
	if !actor.Can(PermWritePostmortems) {
		return nil, nil, ErrForbidden
	}
	var imp Impact
	err = tx.Preload("SLO").Where("postmortem_id = ?", pmID).First(&imp, impactID).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, fmt.Errorf("impact %d: %w", impactID, ErrNotFound)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load impact %d: %w", impactID, err)
	}
	return pm, &imp, nil
}

func impactLine(imp *Impact) string {
	if imp.Source == ImpactMeasured {
		return fmt.Sprintf("%s: %g bad minutes, measured (%g bad of %g events)", imp.SLO.Name, imp.BadMinutes, imp.BadEvents, imp.TotalEvents)
	}
	return fmt.Sprintf("%s: %g bad minutes", imp.SLO.Name, imp.BadMinutes)
}
