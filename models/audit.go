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

// record writes one event per change (one without a field when there is
// none), in one INSERT. It is built by hand rather than by GORM's Create:
// it runs in the writer's turn for every write, where GORM's reflection
// and the RETURNING of ids nobody reads were a third of its cost.
func (a *audit) record(entity string, entityID, pmID uint, action string, changes []change, reason string) error {
	if len(changes) == 0 {
		changes = []change{{}}
	}
	var actorID *uint
	if a.actor != nil {
		actorID = &a.actor.ID
	}
	b := &statement{args: make([]any, 0, len(changes)*auditColumns)}
	b.add(auditInsert)
	for i, c := range changes {
		if i > 0 {
			b.add(", ")
		}
		b.add(auditRow, entity, entityID, pmID, actorID, a.label, action, c.Field, c.Old, c.New, reason, a.at)
	}
	if err := a.tx.Exec(b.sql.String(), b.args...).Error; err != nil {
		return fmt.Errorf("write audit events for %s %d: %w", entity, entityID, err)
	}
	return nil
}

const (
	auditInsert = "INSERT INTO audit_events (entity_type, entity_id, postmortem_id, actor_id, actor, action, field, " +
		"old_value, new_value, reason, created_at) VALUES "
	auditRow     = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	auditColumns = 11
)

// History lists the audit events of one entity, oldest first.
func (s *Store) history(ctx context.Context, q *gorm.DB) ([]AuditEvent, error) {
	var events []AuditEvent
	if err := q.WithContext(ctx).Order("id").Find(&events).Error; err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	return events, nil
}

// ItemHistory is the audit trail of an action item the actor can see. A
// customer user reads it from the moment the item became visible to its
// organisation (customerTrail).
func (s *Store) ItemHistory(ctx context.Context, actor *User, id uint) ([]AuditEvent, error) {
	it, err := s.GetItem(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if actor.IsCustomer() {
		pm, err := s.GetPostmortem(ctx, actor, it.PostmortemID)
		if err != nil {
			return nil, err
		}
		return s.readableHistory(ctx, actor, pm, it)
	}
	events, err := s.history(ctx, s.db.R.Where("entity_type = ? AND entity_id = ?", EntityActionItem, id))
	return inTimeOrder(events), err
}

// PostmortemHistory is the audit trail of a postmortem and, for staff, of
// its items. A customer user reads the postmortem's own, from the moment
// it became visible to its organisation.
func (s *Store) PostmortemHistory(ctx context.Context, actor *User, id uint) ([]AuditEvent, error) {
	pm, err := s.GetPostmortem(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if actor.IsCustomer() {
		return s.readableHistory(ctx, actor, pm, nil)
	}
	events, err := s.history(ctx, s.db.R.Where("postmortem_id = ?", id))
	return inTimeOrder(events), err
}

// readableHistory is what a customer user may read of an object's history.
func (s *Store) readableHistory(ctx context.Context, u *User, pm *Postmortem, it *ActionItem) ([]AuditEvent, error) {
	events, err := s.customerHistory(ctx, u, pm, it)
	if err != nil {
		return nil, err
	}
	events, err = s.forCustomer(ctx, u, events)
	return inTimeOrder(events), err
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
