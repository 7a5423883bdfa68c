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
// customer organisation may read it: customer-facing fields only, and
// provider people shown as "provider". Feeds, subscription emails and
// webhooks are all built from these, never from audit events directly.
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
	Actor           string    `json:"actor"`
}

// customerReader is how a job reads as a customer organisation: the same
// policy as any of its users.
func customerReader(customerID uint) *User {
	return &User{Role: RoleCustomer, CustomerID: &customerID}
}

// CustomerChanges keeps the events that customer may read, as changes.
func (s *Store) CustomerChanges(ctx context.Context, customerID uint, events []AuditEvent) ([]CustomerChange, error) {
	u := customerReader(customerID)
	pms, items := map[uint]*Postmortem{}, map[uint]*ActionItem{}
	var kept []AuditEvent
	for _, e := range events {
		ok, err := s.visibleEvent(ctx, u, e, pms, items)
		if err != nil {
			return nil, err
		}
		if ok {
			kept = append(kept, e)
		}
	}
	kept, err := s.forCustomer(ctx, u, kept)
	if err != nil {
		return nil, err
	}
	out := make([]CustomerChange, 0, len(kept))
	for _, e := range kept {
		c := CustomerChange{EventID: e.ID, At: e.CreatedAt, EntityType: e.EntityType, EntityID: e.EntityID,
			PostmortemID: e.PostmortemID, PostmortemTitle: pms[e.PostmortemID].Title, Action: e.Action,
			Field: e.Field, OldValue: e.OldValue, NewValue: e.NewValue, Actor: e.Actor}
		if it := items[e.EntityID]; e.EntityType == EntityActionItem && it != nil {
			c.ItemTitle = it.Title
		}
		out = append(out, c)
	}
	return out, nil
}

// visibleEvent applies the object policy as it stands now: an item made
// internal-only, or a postmortem no longer shared, hides its whole past.
func (s *Store) visibleEvent(ctx context.Context, u *User, e AuditEvent, pms map[uint]*Postmortem, items map[uint]*ActionItem) (bool, error) {
	switch e.EntityType {
	case EntityPostmortem, EntityActionItem:
	default:
		return false, nil
	}
	pm, seen := pms[e.PostmortemID]
	if !seen {
		p, err := s.GetPostmortem(ctx, u, e.PostmortemID)
		if err != nil && !isNotFound(err) {
			return false, err
		}
		pm, pms[e.PostmortemID] = p, p
	}
	if pm == nil {
		return false, nil
	}
	if e.EntityType == EntityPostmortem {
		return true, nil
	}
	it, seen := items[e.EntityID]
	if !seen {
		i, err := s.GetItem(ctx, u, e.EntityID)
		if err != nil && !isNotFound(err) {
			return false, err
		}
		it, items[e.EntityID] = i, i
	}
	return it != nil, nil
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
