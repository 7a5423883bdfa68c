package reports

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/amendsdev/amends/models"
)

// Issue freezes the review of a month that has ended, as the customer will
// read it (the customer's version: our people shown as the provider's
// team), and stores it. What happens
// to the items afterwards never changes an issued review.
func Issue(ctx context.Context, store *models.Store, actor *models.User, customerID uint, m Month) (*models.IssuedReview, error) {
	c, err := store.GetCustomer(ctx, actor, customerID)
	if err != nil {
		return nil, err
	}
	reader := &models.User{Role: models.RoleCustomer, CustomerID: &c.ID}
	r, err := Build(ctx, store, reader, c.ID, m)
	if err != nil {
		return nil, err
	}
	if r.Current {
		return nil, invalid("month", fmt.Sprintf("%s has not ended yet in %s: issue it once it is over", m, c.TimeZone))
	}
	snapshot, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("snapshot review of %s for %s: %w", c.Slug, m, err)
	}
	return store.IssueReview(ctx, actor, c.ID, m.String(), string(snapshot))
}

// LoadIssued reads an issued review back, exactly as it was issued.
func LoadIssued(ctx context.Context, store *models.Store, actor *models.User, id uint) (*Review, *models.IssuedReview, error) {
	ir, err := store.GetIssuedReview(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	var r Review
	if err := json.Unmarshal([]byte(ir.Snapshot), &r); err != nil {
		return nil, nil, fmt.Errorf("read snapshot of issued review %d: %w", id, err)
	}
	return &r, ir, nil
}

// LoadDraft reads a prepared draft back as a review.
func LoadDraft(ctx context.Context, store *models.Store, actor *models.User, id uint) (*Review, error) {
	d, err := store.GetReviewDraft(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	var r Review
	if err := json.Unmarshal([]byte(d.Snapshot), &r); err != nil {
		return nil, fmt.Errorf("read snapshot of review draft %d: %w", id, err)
	}
	return &r, nil
}
