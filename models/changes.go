package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CustomerChange is one change to a postmortem or action item as a
// customer organisation may read it: customer-facing fields only, from the
// moment the object became visible to it, and provider people shown as
// "provider". Feeds, subscription emails and webhooks are all built from
// these, never from audit events directly.
type CustomerChange struct {
	EventID         uint      `json:"id"`
	At              time.Time `json:"at"`
	EntityType      string    `json:"entity_type"`
	EntityID        uint      `json:"entity_id"`
	PostmortemID    uint      `json:"postmortem_id"`
	PostmortemTitle string    `json:"postmortem_title"`
	ItemTitle       string    `json:"item_title,omitempty"`
	Action          string    `json:"action"`
	Field           string    `json:"field,omitempty"`
	OldValue        string    `json:"old_value,omitempty"`
	NewValue        string    `json:"new_value,omitempty"`
	// Values are what the customer could read of the object when it was
	// created or shared with them (Action "created" or "shared").
	Values map[string]string `json:"values,omitempty"`
	Actor  string            `json:"actor"`
}

// customerReader is how a job reads as a customer organisation: the same
// policy as any of its users.
func customerReader(customerID uint) *User {
	return &User{Role: RoleCustomer, CustomerID: &customerID}
}

// CustomerChanges keeps the events that customer may read, as changes: of
// objects it can see now, what its history of each holds at those events
// (customerTrail), so a change from before the object became visible to
// it, or of an internal field, is never one.
func (s *Store) CustomerChanges(ctx context.Context, customerID uint, events []AuditEvent) ([]CustomerChange, error) {
	r := &changeReader{s: s, u: customerReader(customerID), pms: map[uint]*Postmortem{},
		items: map[uint]*ActionItem{}, pmEvents: map[uint][]AuditEvent{}, trails: map[trailKey]map[uint]AuditEvent{}}
	var kept []AuditEvent
	for _, e := range events {
		shown, ok, err := r.at(ctx, e)
		if err != nil {
			return nil, err
		}
		if ok {
			kept = append(kept, shown)
		}
	}
	kept, err := s.forCustomer(ctx, r.u, kept)
	if err != nil {
		return nil, err
	}
	out := make([]CustomerChange, 0, len(kept))
	for _, e := range kept {
		c := CustomerChange{EventID: e.ID, At: e.CreatedAt, EntityType: e.EntityType, EntityID: e.EntityID,
			PostmortemID: e.PostmortemID, PostmortemTitle: r.pms[e.PostmortemID].Title, Action: e.Action,
			Field: e.Field, OldValue: e.OldValue, NewValue: e.NewValue, Values: e.Values, Actor: e.Actor}
		if it := r.items[e.EntityID]; e.EntityType == EntityActionItem && it != nil {
			c.ItemTitle = it.Title
		}
		out = append(out, c)
	}
	return out, nil
}

type trailKey struct {
	entity string
	id     uint
}

// changeReader reads events as one customer organisation, keeping the
// objects it can see now and its history of each, keyed by event id.
type changeReader struct {
	s     *Store
	u     *User
	pms   map[uint]*Postmortem // nil: not visible now
	items map[uint]*ActionItem // nil: not visible now
	// pmEvents are each postmortem's own events, read once for all its
	// items' histories.
	pmEvents map[uint][]AuditEvent
	trails   map[trailKey]map[uint]AuditEvent
}

// at is the event of the customer's history of e's object that e's write
// opened or is, if any. An object the customer cannot see now hides its
// whole past: an item made internal-only, a postmortem no longer shared.
func (r *changeReader) at(ctx context.Context, e AuditEvent) (AuditEvent, bool, error) {
	if e.EntityType != EntityPostmortem && e.EntityType != EntityActionItem {
		return AuditEvent{}, false, nil
	}
	pm, err := r.postmortem(ctx, e.PostmortemID)
	if err != nil || pm == nil {
		return AuditEvent{}, false, err
	}
	var it *ActionItem
	if e.EntityType == EntityActionItem {
		if it, err = r.item(ctx, e.EntityID); err != nil || it == nil {
			return AuditEvent{}, false, err
		}
	}
	key := trailKey{e.EntityType, e.EntityID}
	trail, seen := r.trails[key]
	if !seen {
		pmEvents, seen := r.pmEvents[pm.ID]
		if !seen {
			if pmEvents, err = r.s.objectEvents(ctx, EntityPostmortem, pm.ID); err != nil {
				return AuditEvent{}, false, err
			}
			r.pmEvents[pm.ID] = pmEvents
		}
		events, err := r.s.customerHistoryWith(ctx, r.u, pm, it, pmEvents)
		if err != nil {
			return AuditEvent{}, false, err
		}
		trail = map[uint]AuditEvent{}
		for _, te := range events {
			if te.EntityType == e.EntityType && te.EntityID == e.EntityID {
				trail[te.ID] = te
			}
		}
		r.trails[key] = trail
	}
	shown, ok := trail[e.ID]
	return shown, ok, nil
}

func (r *changeReader) postmortem(ctx context.Context, id uint) (*Postmortem, error) {
	if pm, seen := r.pms[id]; seen {
		return pm, nil
	}
	pm, err := r.s.GetPostmortem(ctx, r.u, id)
	if err != nil && !isNotFound(err) {
		return nil, err
	}
	r.pms[id] = pm
	return pm, nil
}

func (r *changeReader) item(ctx context.Context, id uint) (*ActionItem, error) {
	if it, seen := r.items[id]; seen {
		return it, nil
	}
	it, err := r.s.GetItem(ctx, r.u, id)
	if err != nil && !isNotFound(err) {
		return nil, err
	}
	r.items[id] = it
	return it, nil
}

// RecentChanges lists the newest changes a customer may read, newest first.
func (s *Store) RecentChanges(ctx context.Context, customerID uint, limit int) ([]CustomerChange, error) {
	var events []AuditEvent
	// Read more events than wanted: internal ones are dropped below.
	err := s.customerEvents(ctx, customerID).Order("id DESC").Limit(limit * 4).Find(&events).Error
	if err != nil {
		return nil, fmt.Errorf("read recent changes of customer %d: %w", customerID, err)
	}
	out, err := s.CustomerChanges(ctx, customerID, events)
	if err != nil {
		return nil, err
	}
	return out[:min(limit, len(out))], nil
}

// ChangesBetween lists a customer's changes in [from, to), oldest first.
func (s *Store) ChangesBetween(ctx context.Context, customerID uint, from, to time.Time) ([]CustomerChange, error) {
	var events []AuditEvent
	err := s.customerEvents(ctx, customerID).Where("created_at >= ? AND created_at < ?", from, to).Order("id").Find(&events).Error
	if err != nil {
		return nil, fmt.Errorf("read changes of customer %d: %w", customerID, err)
	}
	return s.CustomerChanges(ctx, customerID, events)
}

func (s *Store) customerEvents(ctx context.Context, customerID uint) *gorm.DB {
	return s.db.R.WithContext(ctx).Where("entity_type IN ?", []string{EntityPostmortem, EntityActionItem}).
		Where("postmortem_id IN (SELECT postmortem_id FROM postmortem_customers WHERE customer_id = ?)", customerID)
}

// EventsAfter reads the audit trail after an event id, oldest first, up to
// events written before settled: a transaction still open may hold a
// lower id than one already committed, and waiting lets it land first.
func (s *Store) EventsAfter(ctx context.Context, afterID uint, settled time.Time, limit int) ([]AuditEvent, error) {
	var events []AuditEvent
	err := s.db.R.WithContext(ctx).Where("id > ? AND created_at < ?", afterID, settled).Order("id").Limit(limit).Find(&events).Error
	if err != nil {
		return nil, fmt.Errorf("read audit events after %d: %w", afterID, err)
	}
	return events, nil
}

// ChangeCursor is how far a job has read the audit trail.
type ChangeCursor struct {
	Name        string `gorm:"primaryKey"`
	LastEventID uint
}

// Cursor reads a job's position in the audit trail (0 before its first run).
func (s *Store) Cursor(ctx context.Context, name string) (uint, error) {
	var c ChangeCursor
	if err := s.db.R.WithContext(ctx).Where("name = ?", name).Limit(1).Find(&c).Error; err != nil {
		return 0, fmt.Errorf("read cursor %s: %w", name, err)
	}
	return c.LastEventID, nil
}

// SetCursorTx moves a job's position, inside the transaction that stores
// what the job made of the events.
func SetCursorTx(tx *gorm.DB, name string, id uint) error {
	c := ChangeCursor{Name: name, LastEventID: id}
	err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "name"}},
		DoUpdates: clause.AssignmentColumns([]string{"last_event_id"})}).Create(&c).Error
	if err != nil {
		return fmt.Errorf("move cursor %s to %d: %w", name, id, err)
	}
	return nil
}

func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
