package models

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Audit actions.
const (
	ActionCreated   = "created"
	ActionUpdated   = "updated"
	ActionDeleted   = "deleted"
	ActionCommented = "commented"
	ActionPublished = "published"
)

// change is one field that moved from Old to New.
type change struct{ Field, Old, New string }

// diff lists the fields whose value differs, in field order.
func diff(before, after map[string]string) []change {
	keys := make([]string, 0, len(after))
	for k := range after {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []change
	for _, k := range keys {
		if before[k] != after[k] {
			out = append(out, change{k, before[k], after[k]})
		}
	}
	return out
}

// audit writes events within the caller's transaction.
type audit struct {
	tx    *gorm.DB
	actor *User
	label string // who, when there is no user (e.g. "github")
	at    time.Time
}

func newAudit(tx *gorm.DB, actor *User, at time.Time) *audit {
	label := "system"
	if actor != nil {
		label = actor.Email
	}
	return &audit{tx: tx, actor: actor, label: label, at: at}
}

func (a *audit) record(entity string, entityID, pmID uint, action string, changes []change, reason string) error {
	if len(changes) == 0 {
		changes = []change{{}}
	}
	events := make([]AuditEvent, len(changes))
	for i, c := range changes {
		events[i] = AuditEvent{
			EntityType: entity, EntityID: entityID, PostmortemID: pmID,
			Actor: a.label, Action: action, Field: c.Field, OldValue: c.Old, NewValue: c.New,
			Reason: reason, CreatedAt: a.at,
		}
		if a.actor != nil {
			events[i].ActorID = &a.actor.ID
		}
	}
	if err := a.tx.Create(&events).Error; err != nil {
		return fmt.Errorf("write audit events for %s %d: %w", entity, entityID, err)
	}
	return nil
}

// History lists the audit events of one entity, oldest first.
func (s *Store) history(ctx context.Context, q *gorm.DB) ([]AuditEvent, error) {
	var events []AuditEvent
	if err := q.WithContext(ctx).Order("id").Find(&events).Error; err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	return events, nil
}

// ItemHistory is the audit trail of an action item the actor can see.
func (s *Store) ItemHistory(ctx context.Context, actor *User, id uint) ([]AuditEvent, error) {
	if _, err := s.GetItem(ctx, actor, id); err != nil {
		return nil, err
	}
	events, err := s.history(ctx, s.db.R.Where("entity_type = ? AND entity_id = ?", EntityActionItem, id))
	if err != nil {
		return nil, err
	}
	return s.forCustomer(ctx, actor, events)
}

// PostmortemHistory is the audit trail of a postmortem and, for staff, of its
// items.
func (s *Store) PostmortemHistory(ctx context.Context, actor *User, id uint) ([]AuditEvent, error) {
	if _, err := s.GetPostmortem(ctx, actor, id); err != nil {
		return nil, err
	}
	q := s.db.R.Where("postmortem_id = ?", id)
	if actor.IsCustomer() {
		q = q.Where("entity_type = ?", EntityPostmortem)
	}
	events, err := s.history(ctx, q)
	if err != nil {
		return nil, err
	}
	return s.forCustomer(ctx, actor, events)
}

func fmtTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func fmtDate(d *Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func fmtID(id *uint) string {
	if id == nil {
		return ""
	}
	return strconv.FormatUint(uint64(*id), 10)
}

func fmtIDs(cs []Customer) string {
	ids := make([]int, len(cs))
	for i, c := range cs {
		ids[i] = int(c.ID)
	}
	sort.Ints(ids)
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.Itoa(id)
	}
	return strings.Join(parts, ",")
}
