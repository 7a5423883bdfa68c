package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// IssuedReview is a monthly review as it was issued: the rendered data is
// frozen in Snapshot, so later changes to items or postmortems never alter
// what was sent. Rows are only ever inserted. A month has one issued
// review, revision 1, unless staff re-issue it on purpose: each revision
// supersedes the earlier ones for the customer, who sees only the latest;
// staff keep every one.
type IssuedReview struct {
	ID         uint   `gorm:"primaryKey" json:"id"`
	CustomerID uint   `gorm:"not null" json:"customer_id"`
	Month      string `gorm:"size:7;not null" json:"month"`
	Revision   int    `gorm:"not null;default:1" json:"revision"`
	IssuedByID *uint  `gorm:"column:issued_by_id" json:"-"`
	// IssuedBy is the address of whoever issued it; customer users read
	// the provider's team name instead (forCustomer).
	IssuedBy string    `gorm:"size:254;not null" json:"issued_by"`
	Snapshot string    `gorm:"type:text;not null" json:"-"`
	IssuedAt time.Time `gorm:"not null" json:"issued_at"`
	// Superseded says a later revision of the month exists (staff only:
	// customers never read a superseded one).
	Superseded bool `gorm:"-" json:"superseded"`
}

// IssueReview stores snapshot as the month's issued review and says
// whether it stored it. Without revise, a month already issued is left as
// it is and its latest revision answered, so that issuing twice (a double
// click, a retried request) issues once. With revise the snapshot becomes
// the next revision. The caller renders the snapshot; the store only
// keeps it.
func (s *Store) IssueReview(ctx context.Context, actor *User, customerID uint, month, snapshot string, revise bool) (*IssuedReview, bool, error) {
	if _, err := s.GetCustomer(ctx, actor, customerID); err != nil {
		return nil, false, err
	}
	if !actor.Can(PermManageCustomers) {
		return nil, false, s.refusal(actor, "customer", customerID)
	}
	r := IssuedReview{CustomerID: customerID, Month: month, IssuedBy: actor.Email, Snapshot: snapshot, IssuedAt: s.Now()}
	if actor.ID != 0 {
		r.IssuedByID = &actor.ID
	}
	var latest *IssuedReview
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if latest, err = latestIssued(tx, customerID, month); err != nil {
			return err
		}
		if latest != nil && !revise {
			return nil
		}
		r.Revision = 1
		if latest != nil {
			r.Revision = latest.Revision + 1
		}
		return tx.Create(&r).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) && !revise {
		// Another replica issued the month at the same moment: answer its.
		latest, err = latestIssued(s.db.R.WithContext(ctx), customerID, month)
		if err == nil && latest == nil {
			err = fmt.Errorf("issued review of customer %d for %s vanished", customerID, month)
		}
	}
	if err != nil {
		return nil, false, conflictOnDuplicate(fmt.Errorf("issue review of customer %d for %s: %w", customerID, month, err),
			"revision", "another revision of this review was issued at the same moment: reload and try again")
	}
	if r.ID == 0 {
		return latest, false, nil
	}
	return &r, true, nil
}

// latestIssued is the month's latest revision, or nil when it has none.
func latestIssued(q *gorm.DB, customerID uint, month string) (*IssuedReview, error) {
	var list []IssuedReview
	err := q.Where("customer_id = ? AND month = ?", customerID, month).Order("revision DESC").Limit(1).Find(&list).Error
	if err != nil {
		return nil, fmt.Errorf("latest issued review of customer %d for %s: %w", customerID, month, err)
	}
	if len(list) == 0 {
		return nil, nil
	}
	return &list[0], nil
}

// ListIssuedReviews lists a visible customer's issued reviews, newest month
// first, without their snapshots: every revision for staff, the latest of
// each month for the customer.
func (s *Store) ListIssuedReviews(ctx context.Context, actor *User, customerID uint) ([]IssuedReview, error) {
	if _, err := s.GetCustomer(ctx, actor, customerID); err != nil {
		return nil, err
	}
	var all []IssuedReview
	err := s.db.R.WithContext(ctx).Omit("snapshot").Where("customer_id = ?", customerID).
		Order("month DESC, revision DESC, id DESC").Find(&all).Error
	if err != nil {
		return nil, fmt.Errorf("list issued reviews of customer %d: %w", customerID, err)
	}
	out := all[:0]
	for i, r := range all {
		r.Superseded = i > 0 && all[i-1].Month == r.Month
		if r.Superseded && actor.IsCustomer() {
			continue
		}
		out = append(out, r)
	}
	return out, s.issuedByForCustomer(ctx, actor, out)
}

// GetIssuedReview loads one issued review of a customer the actor can see;
// a superseded revision exists for staff only.
func (s *Store) GetIssuedReview(ctx context.Context, actor *User, id uint) (*IssuedReview, error) {
	var r IssuedReview
	if err := s.db.R.WithContext(ctx).First(&r, id).Error; err != nil {
		return nil, notFound(err, "issued review", id)
	}
	if !actor.CanSeeCustomer(r.CustomerID) {
		return nil, fmt.Errorf("issued review %d: %w", id, ErrNotFound)
	}
	latest, err := latestIssued(s.db.R.WithContext(ctx), r.CustomerID, r.Month)
	if err != nil {
		return nil, err
	}
	r.Superseded = latest != nil && latest.Revision > r.Revision
	if r.Superseded && actor.IsCustomer() {
		return nil, fmt.Errorf("issued review %d, superseded: %w", id, ErrNotFound)
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
