package reports

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/notify"
)

// IssueOptions say how to issue: Revise makes a new revision of a month
// already issued (without it, issuing again answers the one issued); Email
// sends what was issued to the customer's contacts.
type IssueOptions struct {
	Revise bool
	Email  bool
}

// Issued is the outcome of Issue: the issued review, whether this call
// issued it, and how many emails it queued.
type Issued struct {
	*models.IssuedReview
	Created bool `json:"created"`
	Queued  int  `json:"queued"`
}

// Issue freezes the review of a month that has ended, as the customer will
// read it (the customer's version: our people shown as the provider's
// team), and stores it. What happens to the items afterwards never changes
// an issued review. A month is issued once: asking again answers the
// review issued, unless opts.Revise asks for a new revision, which then
// supersedes the earlier for the customer. Nothing is mailed unless
// opts.Email asks, and then only what this call issued.
func Issue(ctx context.Context, store *models.Store, actor *models.User, customerID uint, m Month, opts IssueOptions) (*Issued, error) {
	return Reviews{Store: store}.Issue(ctx, actor, customerID, m, opts)
}

// Issue is the package's Issue with the SLIs measured: the measured
// figures are frozen in the snapshot like every other. A figure the data
// source could not give is issued as missing; it never stops the issue.
func (rv Reviews) Issue(ctx context.Context, actor *models.User, customerID uint, m Month, opts IssueOptions) (*Issued, error) {
	store := rv.Store
	c, err := store.GetCustomer(ctx, actor, customerID)
	if err != nil {
		return nil, err
	}
	if opts.Email && len(c.Contacts) == 0 {
		return nil, noContacts(c)
	}
	reader := &models.User{Role: models.RoleCustomer, CustomerID: &c.ID}
	r, err := rv.Build(ctx, reader, c.ID, m)
	if err != nil {
		return nil, err
	}
	if r.Current {
		return nil, invalid("month", fmt.Sprintf("%s has not ended yet in %s: issue it once it is over", m, c.TimeZone))
	}
	r.Stage = StageIssued
	snapshot, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("snapshot review of %s for %s: %w", c.Slug, m, err)
	}
	ir, created, err := store.IssueReview(ctx, actor, c.ID, m.String(), string(snapshot), opts.Revise)
	if err != nil {
		return nil, err
	}
	out := &Issued{IssuedReview: ir, Created: created}
	if created && opts.Email {
		if out.Queued, err = EmailIssued(ctx, store, notify.NewOutbox(store), actor, ir.ID); err != nil {
			return out, err
		}
	}
	return out, nil
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
