package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// ImpactInput records what an incident cost against one SLO.
type ImpactInput struct {
	SLOID      uint    `json:"slo_id"`
	BadMinutes float64 `json:"bad_minutes"`
}

// ListImpacts lists a visible postmortem's SLO impacts; a customer sees only
// those against its own SLOs.
func (s *Store) ListImpacts(ctx context.Context, actor *User, pmID uint) ([]Impact, error) {
	if _, err := s.GetPostmortem(ctx, actor, pmID); err != nil {
		return nil, err
	}
	q := s.db.R.WithContext(ctx).Preload("SLO").Where("postmortem_id = ?", pmID).Order("id")
	if actor.IsCustomer() {
		q = q.Where("slo_id IN (SELECT id FROM slos WHERE customer_id = ?)", *actor.CustomerID)
	}
	var out []Impact
	if err := q.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list impacts of postmortem %d: %w", pmID, err)
	}
	return out, nil
}

// CreateImpact records an impact against an SLO of a customer the
// postmortem names; one per SLO and postmortem.
func (s *Store) CreateImpact(ctx context.Context, actor *User, pmID uint, in ImpactInput) (*Impact, error) {
	var imp Impact
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		pm, err := s.getPostmortem(tx, actor, pmID)
		if err != nil {
			return err
		}
		f := fieldErrors{}
		var slo SLO
		if err := tx.First(&slo, in.SLOID).Error; err != nil {
			f.add("slo_id", fmt.Sprintf("unknown SLO %d", in.SLOID))
		} else if !namesCustomer(pm, slo.CustomerID) {
			f.add("slo_id", "belongs to a customer this postmortem does not name")
		}
		checkBadMinutes(f, pm, &slo, in.BadMinutes)
		if err := f.err(); err != nil {
			return err
		}
		now := s.Now()
		imp = Impact{PostmortemID: pmID, SLOID: in.SLOID, BadMinutes: in.BadMinutes, Source: ImpactRecorded, CreatedAt: now, SLO: slo}
		if err := tx.Omit("SLO").Create(&imp).Error; err != nil {
			return conflictOnDuplicate(err, "slo_id", "this postmortem already has an impact on that SLO")
		}
		ch := []change{{Field: "impact", New: impactLine(&imp)}}
		return newAudit(tx, actor, now).record(EntityPostmortem, pmID, pmID, ActionUpdated, ch, "")
	})
	if err != nil {
		return nil, err
	}
	return &imp, nil
}

// CustomerImpacts lists what each incident cost against a customer's SLOs,
// newest first, with the postmortem loaded.
func (s *Store) CustomerImpacts(ctx context.Context, actor *User, customerID uint) ([]Impact, map[uint]Postmortem, error) {
	if _, err := s.GetCustomer(ctx, actor, customerID); err != nil {
		return nil, nil, err
	}
	var imps []Impact
	err := s.db.R.WithContext(ctx).Preload("SLO").
		Where("slo_id IN (SELECT id FROM slos WHERE customer_id = ?)", customerID).
		Where("postmortem_id IN (?)", actor.scopePostmortems(s.db.R.Model(&Postmortem{}).Select("postmortems.id"))).
		Order("id DESC").Find(&imps).Error
	if err != nil {
		return nil, nil, fmt.Errorf("impacts of customer %d: %w", customerID, err)
	}
	pms := map[uint]Postmortem{}
	for _, imp := range imps {
		if _, ok := pms[imp.PostmortemID]; ok {
			continue
		}
		var pm Postmortem
		if err := s.db.R.WithContext(ctx).First(&pm, imp.PostmortemID).Error; err != nil {
			return nil, nil, notFound(err, "postmortem", imp.PostmortemID)
		}
		pms[pm.ID] = pm
	}
	return imps, pms, nil
}
