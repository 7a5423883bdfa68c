package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ReviewData is the raw material of a customer's monthly review: what the
// customer may see, and the item changes made after Since, from which the
// reports package rolls the items back to any moment after Since.
type ReviewData struct {
	Customer    Customer
	SLOs        []SLO
	Postmortems []Postmortem // customer-facing fields only
	Impacts     []Impact
	Items       []ActionItem
	// Events are the changes to the fields in ReviewFields, oldest first.
	Events []AuditEvent
}

// ReviewFields are the item fields a review reconstructs as of a moment.
var ReviewFields = []string{"status", "title", "priority", "due_date", "assignee"}

// postmortemReviewColumns leaves out every internal text field, so that it
// cannot reach a customer-facing document by accident.
var postmortemReviewColumns = []string{"id", "title", "severity", "status", "visibility", "started_at",
	"detected_at", "resolved_at", "published_at", "external_summary", "external_impact", "external_cause",
	"external_next_steps", "created_at", "updated_at"}

// ReviewData loads a customer's review material as the customer would see
// it, whoever asks: the review is a customer-facing document, so staff
// preview exactly what will be sent. Only items created before until and
// item changes after since are read, so a month costs the same however long
// the history is.
func (s *Store) ReviewData(ctx context.Context, actor *User, customerID uint, since, until time.Time) (*ReviewData, error) {
	c, err := s.GetCustomer(ctx, actor, customerID)
	if err != nil {
		return nil, err
	}
	d := &ReviewData{Customer: *c}
	// Times are stored in UTC and SQLite compares them as text.
	since, until = since.UTC(), until.UTC()
	view := &User{Role: RoleCustomer, CustomerID: &c.ID}
	q := s.db.R.WithContext(ctx)
	if err := q.Where("customer_id = ?", c.ID).Order("name").Find(&d.SLOs).Error; err != nil {
		return nil, fmt.Errorf("load SLOs of customer %d: %w", c.ID, err)
	}
	pmIDs := view.scopePostmortems(q.Model(&Postmortem{}).Select("postmortems.id"))
	err = view.scopePostmortems(q.Select(postmortemReviewColumns)).
		Order("started_at, id").Find(&d.Postmortems).Error
	if err != nil {
		return nil, fmt.Errorf("load postmortems of customer %d: %w", c.ID, err)
	}
	if err := s.loadReviewItems(q, d, view, pmIDs, since, until); err != nil {
		return nil, err
	}
	err = q.Preload("SLO").Where("postmortem_id IN (?)", pmIDs).
		Where("slo_id IN (SELECT id FROM slos WHERE customer_id = ?)", c.ID).Order("id").Find(&d.Impacts).Error
	if err != nil {
		return nil, fmt.Errorf("load impacts of customer %d: %w", c.ID, err)
	}
	return d, nil
}

func (s *Store) loadReviewItems(q *gorm.DB, d *ReviewData, view *User, pmIDs *gorm.DB, since, until time.Time) error {
	err := view.scopeItems(q.Model(&ActionItem{})).Where("action_items.created_at < ?", until).
		Order("action_items.id").Find(&d.Items).Error
	if err != nil {
		return fmt.Errorf("load items of customer %d: %w", d.Customer.ID, err)
	}
	err = q.Where("entity_type = ? AND postmortem_id IN (?) AND field IN ? AND created_at > ?",
		EntityActionItem, pmIDs, ReviewFields, since).Order("created_at, id").Find(&d.Events).Error
	if err != nil {
		return fmt.Errorf("load item history of customer %d: %w", d.Customer.ID, err)
	}
	return nil
}
