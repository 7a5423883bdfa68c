package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// EntitySLO is the audit entity type of changes to a customer's SLOs.
// Customer users never read these events: customerEventFields has no entry.
const EntitySLO = "slo"

// GetSLO loads one SLO of a customer the actor can see.
func (s *Store) GetSLO(ctx context.Context, actor *User, customerID, id uint) (*SLO, error) {
	if _, err := s.GetCustomer(ctx, actor, customerID); err != nil {
		return nil, err
	}
	var slo SLO
	if err := s.db.R.WithContext(ctx).Where("customer_id = ?", customerID).First(&slo, id).Error; err != nil {
		return nil, notFound(err, "SLO", id)
	}
	return &slo, nil
}

// CreateSLOAs adds an SLO to a customer for an actor who may manage
// customers, recording it in the audit trail; a name already used is a
// conflict.
func (s *Store) CreateSLOAs(ctx context.Context, actor *User, customerID uint, in SLOInput) (*SLO, error) {
	if err := mayManageCustomers(actor); err != nil {
		return nil, err
	}
	in.Name = strings.TrimSpace(in.Name)
	if err := in.validate(); err != nil {
		return nil, err
	}
	slo := sloFromInput(customerID, in)
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&Customer{}, customerID).Error; err != nil {
			return notFound(err, "customer", customerID)
		}
		if err := tx.Create(&slo).Error; err != nil {
			return conflictOnDuplicate(err, "name", fmt.Sprintf("an SLO named %q already exists for this customer", in.Name))
		}
		return newAudit(tx, actor, s.Now()).record(EntitySLO, slo.ID, 0, ActionCreated, diff(nil, sloFields(&slo)), "")
	})
	if err != nil {
		return nil, err
	}
	return &slo, nil
}

// UpdateSLO replaces every field of a customer's SLO, as the SLO form
// sends them all, and records what changed.
func (s *Store) UpdateSLO(ctx context.Context, actor *User, customerID, id uint, in SLOInput) (*SLO, error) {
	if err := mayManageCustomers(actor); err != nil {
		return nil, err
	}
	in.Name = strings.TrimSpace(in.Name)
	if err := in.validate(); err != nil {
		return nil, err
	}
	var slo SLO
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("customer_id = ?", customerID).First(&slo, id).Error; err != nil {
			return notFound(err, "SLO", id)
		}
		before := sloFields(&slo)
		next := sloFromInput(customerID, in)
		next.ID, next.CreatedAt = slo.ID, slo.CreatedAt
		// A form without the SLI keeps it, as an import does (UpsertSLOAs):
		// the SLI is set on its own (SetSLI).
		if in.SLI == (SLIInput{}) {
			next.SLIGoodQuery, next.SLIBadQuery, next.SLITotalQuery = slo.SLIGoodQuery, slo.SLIBadQuery, slo.SLITotalQuery
		}
		slo = next
		ch := diff(before, sloFields(&slo))
		if len(ch) == 0 {
			return nil
		}
		if err := tx.Save(&slo).Error; err != nil {
			return conflictOnDuplicate(err, "name", fmt.Sprintf("an SLO named %q already exists for this customer", in.Name))
		}
		return newAudit(tx, actor, s.Now()).record(EntitySLO, slo.ID, 0, ActionUpdated, ch, "")
	})
	if err != nil {
		return nil, err
	}
	return &slo, nil
}

// DeleteSLO removes an SLO that no incident's impact refers to; one with
// impacts is refused, never cascaded, since reviews already issued count
// them.
func (s *Store) DeleteSLO(ctx context.Context, actor *User, customerID, id uint) (*SLO, error) {
	if err := mayManageCustomers(actor); err != nil {
		return nil, err
	}
	var slo SLO
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("customer_id = ?", customerID).First(&slo, id).Error; err != nil {
			return notFound(err, "SLO", id)
		}
		var n int64
		if err := tx.Model(&Impact{}).Where("slo_id = ?", id).Count(&n).Error; err != nil {
			return fmt.Errorf("count impacts on SLO %d: %w", id, err)
		}
		if n > 0 {
			return &ConflictError{Message: fmt.Sprintf("SLO %q has %d recorded incident impact(s); correct or delete those first", slo.Name, n)}
		}
		if err := tx.Delete(&slo).Error; err != nil {
			return fmt.Errorf("delete SLO %d: %w", id, err)
		}
		before, gone := sloFields(&slo), map[string]string{}
		for k := range before {
			gone[k] = ""
		}
		return newAudit(tx, actor, s.Now()).record(EntitySLO, slo.ID, 0, ActionDeleted, diff(before, gone), "")
	})
	if err != nil {
		return nil, err
	}
	return &slo, nil
}

// sloFields are an SLO's values as its audit events write them.
func sloFields(slo *SLO) map[string]string {
	return map[string]string{
		"customer_id": strconv.FormatUint(uint64(slo.CustomerID), 10), "name": slo.Name, "display_name": slo.DisplayName,
		"description": slo.Description, "target": strconv.FormatFloat(slo.Target, 'f', -1, 64),
		"window_days": strconv.Itoa(slo.WindowDays), "budgeting_method": slo.BudgetingMethod,
		"calendar_duration": slo.CalendarDuration, "calendar_start": slo.CalendarStart, "calendar_time_zone": slo.CalendarTimeZone,
		"sli_good_query": slo.SLIGoodQuery, "sli_bad_query": slo.SLIBadQuery, "sli_total_query": slo.SLITotalQuery,
	}
}
