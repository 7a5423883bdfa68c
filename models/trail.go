package models

import (
	"context"
	"fmt"
	"sort"
)

// ActionShared opens a customer's history of an object that became
// visible to them after it was created: published, the customer added to
// it, an item made customer-visible or handed to them. It carries the
// values they could read from then on, and nothing from before.
const ActionShared = "shared"

// trailSubject is an object whose history a customer reads: a postmortem,
// or an item with its postmortem, each as it stands now.
type trailSubject struct {
	pm   Postmortem
	item *ActionItem // nil for the postmortem's own history
	// events are the object's own events and, for an item, its
	// postmortem's, which decide when the item could be seen.
	events []AuditEvent
}

func (s trailSubject) target() (string, uint) {
	if s.item != nil {
		return EntityActionItem, s.item.ID
	}
	return EntityPostmortem, s.pm.ID
}

// customerTrail is the history of the subject as the customer reader u
// could have read it as it happened: the object is replayed from before its
// first event, and the policy asked after each change whether u could see
// it then. The moment it becomes visible is one event (created, or
// ActionShared) carrying the values it had then; while it stays visible its
// own changes follow; while it is not, nothing. Old values therefore never
// predate the moment it became visible. Which fields of each event the
// customer reads is forCustomer's business.
func customerTrail(u *User, sub trailSubject) []AuditEvent {
	events := append([]AuditEvent(nil), sub.events...)
	sort.Slice(events, func(i, j int) bool { return events[i].ID < events[j].ID })
	r := newReplay(sub, events)
	entity, id := sub.target()
	var out []AuditEvent
	for len(events) > 0 {
		n := batchLen(events)
		batch := events[:n]
		events = events[n:]
		before := r.visibleTo(u)
		r.apply(batch)
		after := r.visibleTo(u)
		own := batch[0].EntityType == entity && batch[0].EntityID == id
		switch {
		case !before && after:
			out = append(out, r.opening(batch, entity, id, own))
		case before && after && own:
			out = append(out, batch...)
		}
	}
	return out
}

// batchLen is how many events at the head belong to one write: the same
// object at the same moment.
func batchLen(events []AuditEvent) int {
	n := 1
	for n < len(events) && events[n].EntityType == events[0].EntityType &&
		events[n].EntityID == events[0].EntityID && events[n].CreatedAt.Equal(events[0].CreatedAt) {
		n++
	}
	return n
}

// replay is a subject as it stood at one point of its history.
type replay struct {
	pm               Postmortem
	item             *ActionItem
	pmLive, itemLive bool
}

// newReplay sets the subject back to before its first event: every change
// undone, and not yet existing when its creation is among the events.
func newReplay(sub trailSubject, events []AuditEvent) *replay {
	r := &replay{pm: sub.pm, pmLive: true, itemLive: true}
	if sub.item != nil {
		it := *sub.item
		r.item = &it
	}
	for i := len(events) - 1; i >= 0; i-- {
		r.step(events[i], false)
	}
	return r
}

func (r *replay) setLive(e AuditEvent, live bool) {
	if e.EntityType == EntityPostmortem {
		r.pmLive = live
	} else {
		r.itemLive = live
	}
}

func (r *replay) apply(batch []AuditEvent) {
	for _, e := range batch {
		r.step(e, true)
	}
}

// step replays one event forward (its new value) or undoes it (its old).
func (r *replay) step(e AuditEvent, forward bool) {
	v := e.NewValue
	if !forward {
		v = e.OldValue
	}
	switch {
	case e.Action == ActionCreated:
		r.setLive(e, forward)
	case e.Action == ActionDeleted:
		r.setLive(e, !forward)
	case e.EntityType == EntityPostmortem:
		setPostmortemField(&r.pm, e.Field, v)
	case r.item != nil:
		setItemField(r.item, e.Field, v)
	}
}

// visibleTo asks the policy about the subject as it stands in the replay.
func (r *replay) visibleTo(u *User) bool {
	if !r.pmLive || !u.CanSeePostmortem(&r.pm) {
		return false
	}
	return r.item == nil || (r.itemLive && u.CanSeeItem(r.item))
}

// opening is the event that starts a customer's history of the subject,
// at the write that made it visible: its id is that write's last, so that
// it is found among the events read after a cursor exactly once.
func (r *replay) opening(batch []AuditEvent, entity string, id uint, own bool) AuditEvent {
	first, last := batch[0], batch[len(batch)-1]
	e := AuditEvent{ID: last.ID, EntityType: entity, EntityID: id, PostmortemID: r.pm.ID,
		ActorID: first.ActorID, Actor: first.Actor, Action: ActionShared, CreatedAt: first.CreatedAt}
	if own && first.Action == ActionCreated {
		e.Action = ActionCreated
	}
	if r.item != nil {
		e.Values = customerValues(entity, r.item.auditFields())
	} else {
		e.Values = customerValues(entity, r.pm.auditFields())
	}
	return e
}

// customerHistory is customerTrail of a postmortem, or of one of its
// items, both as they stand now, read from the audit trail.
func (s *Store) customerHistory(ctx context.Context, u *User, pm *Postmortem, it *ActionItem) ([]AuditEvent, error) {
	events, err := s.objectEvents(ctx, EntityPostmortem, pm.ID)
	if err != nil {
		return nil, err
	}
	return s.customerHistoryWith(ctx, u, pm, it, events)
}

// customerHistoryWith is customerHistory with the postmortem's own events
// already read.
func (s *Store) customerHistoryWith(ctx context.Context, u *User, pm *Postmortem, it *ActionItem, pmEvents []AuditEvent) ([]AuditEvent, error) {
	sub := trailSubject{pm: *pm, item: it, events: pmEvents}
	if it != nil {
		own, err := s.objectEvents(ctx, EntityActionItem, it.ID)
		if err != nil {
			return nil, err
		}
		sub.events = append(append([]AuditEvent(nil), pmEvents...), own...)
	}
	return customerTrail(u, sub), nil
}

// objectEvents are the audit events of one postmortem or item.
func (s *Store) objectEvents(ctx context.Context, entity string, id uint) ([]AuditEvent, error) {
	events, err := s.history(ctx, s.db.R.Where("entity_type = ? AND entity_id = ?", entity, id))
	if err != nil {
		return nil, fmt.Errorf("history of %s %d: %w", entity, id, err)
	}
	return events, nil
}
