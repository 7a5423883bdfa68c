package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// ReviewDraft is a review prepared by the monthly job for a lead to check
// and issue. One per customer and month: the unique index makes the job
// safe to run on every replica, the first insert wins.
type ReviewDraft struct {
	ID         uint      `gorm:"primaryKey" json:"id"`
	CustomerID uint      `gorm:"not null" json:"customer_id"`
	Month      string    `gorm:"size:7;not null" json:"month"`
	Snapshot   string    `gorm:"type:text;not null" json:"-"`
	PreparedAt time.Time `gorm:"not null" json:"prepared_at"`
}

// SaveReviewDraft stores a draft unless one exists for that customer and
// month, and says whether this call stored it.
func (s *Store) SaveReviewDraft(ctx context.Context, customerID uint, month, snapshot string) (bool, error) {
	d := ReviewDraft{CustomerID: customerID, Month: month, Snapshot: snapshot, PreparedAt: s.Now()}
	res := s.db.W.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&d)
	if res.Error != nil {
		return false, fmt.Errorf("save review draft of customer %d for %s: %w", customerID, month, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// HasReviewDraft says whether the month's draft of a customer exists, so
// that the job does not build reviews it would throw away.
func (s *Store) HasReviewDraft(ctx context.Context, customerID uint, month string) (bool, error) {
	var n int64
	err := s.db.R.WithContext(ctx).Model(&ReviewDraft{}).Where("customer_id = ? AND month = ?", customerID, month).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("check review draft of customer %d for %s: %w", customerID, month, err)
	}
	return n > 0, nil
}

// ListReviewDrafts lists the drafts of a month, for staff; customers never
// see drafts.
func (s *Store) ListReviewDrafts(ctx context.Context, actor *User, month string) ([]ReviewDraft, error) {
	if actor.IsCustomer() {
		return nil, fmt.Errorf("review drafts: %w", ErrNotFound)
	}
	var out []ReviewDraft
	err := s.db.R.WithContext(ctx).Omit("snapshot").Where("month = ?", month).Order("customer_id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list review drafts for %s: %w", month, err)
	}
	return out, nil
}

// CustomersWithSharedPostmortems lists the customers named on at least one
// shared or joint postmortem: those a monthly review is prepared for.
func (s *Store) CustomersWithSharedPostmortems(ctx context.Context) ([]Customer, error) {
	var out []Customer
	err := s.db.R.WithContext(ctx).Where(`id IN (SELECT pc.customer_id FROM postmortem_customers pc
		JOIN postmortems p ON p.id = pc.postmortem_id WHERE p.visibility IN ? AND p.deleted_at IS NULL)`,
		[]string{VisibilityShared, VisibilityJoint, VisibilityPublic}).Order("id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list customers with shared postmortems: %w", err)
	}
	return out, nil
}

// GetReviewDraft loads one draft, for staff.
func (s *Store) GetReviewDraft(ctx context.Context, actor *User, id uint) (*ReviewDraft, error) {
	if actor.IsCustomer() {
		return nil, fmt.Errorf("review draft %d: %w", id, ErrNotFound)
	}
	var d ReviewDraft
	if err := s.db.R.WithContext(ctx).First(&d, id).Error; err != nil {
		return nil, notFound(err, "review draft", id)
	}
	return &d, nil
}
