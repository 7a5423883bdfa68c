package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// SLOInput creates or, by name, updates a customer SLO.
type SLOInput struct {
	Name            string  `json:"name"`
	DisplayName     string  `json:"display_name"`
	Description     string  `json:"description"`
	Target          float64 `json:"target"`
	WindowDays      int     `json:"window_days"`
	BudgetingMethod string  `json:"budgeting_method"`
}

var budgetingMethods = []string{"Occurrences", "Timeslices", "RatioTimeslices"}

func (in *SLOInput) validate() error {
	f := fieldErrors{}
	f.required("name", in.Name, 200)
	f.line("display_name", in.DisplayName, 200)
	if !(in.Target > 0 && in.Target < 1) {
		f.add("target", "must be between 0 and 1 exclusive, such as 0.999")
	}
	if in.WindowDays < 1 || in.WindowDays > 366 {
		f.add("window_days", "must be a whole number of days from 1 to 366")
	}
	if in.BudgetingMethod != "" {
		f.oneOf("budgeting_method", in.BudgetingMethod, budgetingMethods)
	}
	return f.err()
}

// ListSLOs lists a visible customer's SLOs by name.
func (s *Store) ListSLOs(ctx context.Context, actor *User, customerID uint) ([]SLO, error) {
	if _, err := s.GetCustomer(ctx, actor, customerID); err != nil {
		return nil, err
	}
	var slos []SLO
	if err := s.db.R.WithContext(ctx).Where("customer_id = ?", customerID).Order("name").Find(&slos).Error; err != nil {
		return nil, fmt.Errorf("list SLOs of customer %d: %w", customerID, err)
	}
	return slos, nil
}

// CreateSLO adds an SLO to a customer; a name already used is a conflict.
func (s *Store) CreateSLO(ctx context.Context, customerID uint, in SLOInput) (*SLO, error) {
	in.Name = strings.TrimSpace(in.Name)
	if err := in.validate(); err != nil {
		return nil, err
	}
	slo := sloFromInput(customerID, in)
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&Customer{}, customerID).Error; err != nil {
			return notFound(err, "customer", customerID)
		}
		return conflictOnDuplicate(tx.Create(&slo).Error, "name", fmt.Sprintf("an SLO named %q already exists for this customer", in.Name))
	})
	if err != nil {
		return nil, err
	}
	return &slo, nil
}

// UpsertSLO creates the SLO or updates the one with the same name, and says
// whether it was created.
func (s *Store) UpsertSLO(ctx context.Context, customerID uint, in SLOInput) (*SLO, bool, error) {
	in.Name = strings.TrimSpace(in.Name)
	if err := in.validate(); err != nil {
		return nil, false, err
	}
	var slo SLO
	created := false
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Where("customer_id = ? AND name = ?", customerID, in.Name).Limit(1).Find(&slo)
		if res.Error != nil {
			return fmt.Errorf("find SLO %q: %w", in.Name, res.Error)
		}
		next := sloFromInput(customerID, in)
		if res.RowsAffected == 0 {
			created = true
			slo = next
			return tx.Create(&slo).Error
		}
		next.ID, next.CreatedAt = slo.ID, slo.CreatedAt
		slo = next
		return tx.Save(&slo).Error
	})
	if err != nil {
		return nil, false, err
	}
	return &slo, created, nil
}

func sloFromInput(customerID uint, in SLOInput) SLO {
	display := in.DisplayName
	if display == "" {
		display = in.Name
	}
	method := in.BudgetingMethod
	if method == "" {
		method = "Occurrences"
	}
	return SLO{CustomerID: customerID, Name: in.Name, DisplayName: display, Description: in.Description,
		Target: in.Target, WindowDays: in.WindowDays, BudgetingMethod: method}
}
