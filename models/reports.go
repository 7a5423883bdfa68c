package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ReviewData is the raw material of a customer's monthly review: what the
// customer may see now, and the changes made from since on, from which
// ItemBefore and PostmortemBefore roll objects back to any moment after
// since, and tell whether the customer could see them then.
type ReviewData struct {
	Customer    Customer
	SLOs        []SLO
	Postmortems []Postmortem // customer-facing fields and customer ids only
	Impacts     []Impact
	Items       []ActionItem

	reader     *User                 // the customer, as the policy reads it
	pmByID     map[uint]*Postmortem  // Postmortems by id
	itemEvents map[uint][]AuditEvent // changes to reviewFields, by item, oldest first
	pmEvents   map[uint][]AuditEvent // changes to reviewFields, by postmortem, oldest first
}

// reviewFields are the fields a review reconstructs as of a moment: what it
// shows of items and postmortems, and what the policy reads of them.
var reviewFields = []string{"status", "title", "priority", "due_date", "assignee", "customer_visible", "owner",
	"customer_id", "archived_at", "visibility", "customer_ids", "severity", "started_at", "resolved_at", "published_at",
	"external_summary", "external_next_steps"}

// postmortemReviewColumns leaves out every internal text field, so that it
// cannot reach a customer-facing document by accident.
var postmortemReviewColumns = []string{"id", "title", "severity", "status", "visibility", "started_at",
	"detected_at", "resolved_at", "published_at", "external_summary", "external_impact", "external_cause",
	"external_next_steps", "created_at", "updated_at"}

// ReviewData loads a customer's review material as the customer would see
// it, whoever asks: the review is a customer-facing document, so staff
// preview exactly what will be sent. Only items created before until and
// item changes from since on are read, so a month costs the same however long
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
	d.reader = view
	err = view.scopePostmortems(q.Select(postmortemReviewColumns)).Preload("Customers", func(db *gorm.DB) *gorm.DB {
		return db.Select("id")
	}).Order("started_at, id").Find(&d.Postmortems).Error
	if err != nil {
		return nil, fmt.Errorf("load postmortems of customer %d: %w", c.ID, err)
	}
	// The ids as a list, not a subquery, steer both databases to the
	// per-postmortem indexes instead of scanning everyone's recent changes.
	pmIDs := make([]uint, len(d.Postmortems))
	d.pmByID = make(map[uint]*Postmortem, len(d.Postmortems))
	for i, pm := range d.Postmortems {
		pmIDs[i] = pm.ID
		d.pmByID[pm.ID] = &d.Postmortems[i]
	}
	if len(pmIDs) == 0 {
		return d, nil
	}
	if err := s.loadReviewItems(q, d, pmIDs, since, until); err != nil {
		return nil, err
	}
	err = q.Preload("SLO").Where("postmortem_id IN ?", pmIDs).
		Where("slo_id IN (SELECT id FROM slos WHERE customer_id = ?)", c.ID).Order("id").Find(&d.Impacts).Error
	if err != nil {
		return nil, fmt.Errorf("load impacts of customer %d: %w", c.ID, err)
	}
	return d, nil
}

// loadReviewItems reads the items of the postmortems with the same rule as
// scopeItems: customer-visible now, and ours or the customer's own. An item
// internal-only now never reaches a review, whatever it was at a month's end.
// Archived items are read too: ItemBefore shows one in a review of a moment
// before it was archived, never after.
func (s *Store) loadReviewItems(q *gorm.DB, d *ReviewData, pmIDs []uint, since, until time.Time) error {
	err := q.Unscoped().Where("postmortem_id IN ? AND customer_visible = ?", pmIDs, true).
		Where("(owner = ? OR customer_id = ?)", OwnerProvider, d.Customer.ID).Where("created_at < ?", until).
		Order("id").Find(&d.Items).Error
	if err != nil {
		return fmt.Errorf("load items of customer %d: %w", d.Customer.ID, err)
	}
	// entity_type is filtered here rather than in SQL: as a condition it
	// draws SQLite to idx_audit_entity, which holds every item's events.
	var events []AuditEvent
	err = q.Where("postmortem_id IN ? AND field IN ? AND created_at >= ?", pmIDs, reviewFields, since).
		Order("created_at, id").Find(&events).Error
	if err != nil {
		return fmt.Errorf("load item history of customer %d: %w", d.Customer.ID, err)
	}
	d.itemEvents, d.pmEvents = map[uint][]AuditEvent{}, map[uint][]AuditEvent{}
	for _, e := range events {
		switch e.EntityType {
		case EntityActionItem:
			d.itemEvents[e.EntityID] = append(d.itemEvents[e.EntityID], e)
		case EntityPostmortem:
			d.pmEvents[e.EntityID] = append(d.pmEvents[e.EntityID], e)
		}
	}
	return nil
}

// ItemBefore is an item as it stood just before t (at or after since), and
// whether the customer could see it then: it existed, was customer-visible,
// ours or theirs, on a postmortem they could see then. A review shows an
// item at a moment only when they could; what it was then still tells
// whether it was open, whoever could see it.
func (d *ReviewData) ItemBefore(cur ActionItem, t time.Time) (it ActionItem, existed, visible bool) {
	it, existed = itemBefore(cur, d.itemEvents[cur.ID], t)
	if !existed {
		return it, false, false
	}
	_, ok := d.PostmortemBefore(cur.PostmortemID, t)
	return it, true, ok && d.reader.CanSeeItem(&it)
}

// PostmortemBefore is a postmortem as it stood just before t (at or after
// since), and whether the customer could see it then.
func (d *ReviewData) PostmortemBefore(id uint, t time.Time) (Postmortem, bool) {
	cur := d.pmByID[id]
	if cur == nil {
		return Postmortem{}, false
	}
	pm, ok := postmortemBefore(*cur, d.pmEvents[id], t)
	return pm, ok && d.reader.CanSeePostmortem(&pm)
}
