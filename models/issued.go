package models

import (
	"context"
	"fmt"
	"time"
)

// IssuedReview is a monthly review as it was issued: the rendered data is
// frozen in Snapshot, so later changes to items or postmortems never alter
// what was sent. Rows are only ever inserted.
type IssuedReview struct {
	ID         uint   `gorm:"primaryKey" json:"id"`
	CustomerID uint   `gorm:"not null" json:"customer_id"`
	Month      string `gorm:"size:7;not null" json:"month"`
	IssuedByID *uint  `gorm:"column:issued_by_id" json:"-"`
	// IssuedBy is the address of whoever issued it; customer users read
	// the provider's team name instead (forCustomer).
	IssuedBy string    `gorm:"size:254;not null" json:"issued_by"`
	Snapshot string    `gorm:"type:text;not null" json:"-"`
	IssuedAt time.Time `gorm:"not null" json:"issued_at"`
}

// IssueReview stores a snapshot of a customer's review for a month. The
// caller renders the snapshot; the store only keeps it.
func (s *Store) IssueReview(ctx context.Context, actor *User, customerID uint, month, snapshot string) (*IssuedReview, error) {
	if _, err := s.GetCustomer(ctx, actor, customerID); err != nil {
		return nil, err
	}
	if !actor.Can(PermManageCustomers) {
		return nil, s.refusal(actor, "customer", customerID)
	}
	r := IssuedReview{CustomerID: customerID, Month: month, IssuedBy: actor.Email, Snapshot: snapshot, IssuedAt: s.Now()}
	if actor.ID != 0 {
		r.IssuedByID = &actor.ID
	}
	if err := s.db.W.WithContext(ctx).Create(&r).Error; err != nil {
		return nil, fmt.Errorf("issue review of customer %d for %s: %w", customerID, month, err)
	}
	return &r, nil
}

// ListIssuedReviews lists a visible customer's issued reviews, newest month
// first, without their snapshots.
func (s *Store) ListIssuedReviews(ctx context.Context, actor *User, customerID uint) ([]IssuedReview, error) {
	if _, err := s.GetCustomer(ctx, actor, customerID); err != nil {
		return nil, err
	}
	var out []IssuedReview
	err := s.db.R.WithContext(ctx).Omit("snapshot").Where("customer_id = ?", customerID).
		Order("month DESC, id DESC").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list issued reviews of customer %d: %w", customerID, err)
	}
	return out, s.issuedByForCustomer(ctx, actor, out)
}

// GetIssuedReview loads one issued review of a customer the actor can see.
func (s *Store) GetIssuedReview(ctx context.Context, actor *User, id uint) (*IssuedReview, error) {
	var r IssuedReview
	if err := s.db.R.WithContext(ctx).First(&r, id).Error; err != nil {
		return nil, notFound(err, "issued review", id)
	}
	if !actor.CanSeeCustomer(r.CustomerID) {
		return nil, fmt.Errorf("issued review %d: %w", id, ErrNotFound)
	}
	one := []IssuedReview{r}
	return &one[0], s.issuedByForCustomer(ctx, actor, one)
}

// issuedByForCustomer shows a customer user who issued a review as the provider's
// team: our people never reach a customer by address or name.
func (s *Store) issuedByForCustomer(ctx context.Context, actor *User, list []IssuedReview) error {
	if !actor.IsCustomer() || len(list) == 0 {
		return nil
	}
	st, err := s.LoadProviderSettings(ctx)
	if err != nil {
		return err
	}
	for i := range list {
		list[i].IssuedBy = st.TeamName
	}
	return nil
}
