package reports

import (
	"time"

	"github.com/amendsdev/amends/models"
)

// history rolls items back to past moments. It holds every change made
// after some moment S; the state of an item at t ≥ S is its current state
// with each field set back to the old value of that field's first change at
// or after t. That is the new value of the last change before t, or the
// initial value when there was none, without reading history older than S.
type history struct {
	byItem map[uint][]models.AuditEvent // oldest first
}

func newHistory(events []models.AuditEvent) *history {
	h := &history{byItem: map[uint][]models.AuditEvent{}}
	for _, e := range events {
		h.byItem[e.EntityID] = append(h.byItem[e.EntityID], e)
	}
	return h
}

// stateBefore is the item as it stood just before t, counting every change
// made before t; false when the item did not exist yet.
func (h *history) stateBefore(it models.ActionItem, t time.Time) (models.ActionItem, bool) {
	if !it.CreatedAt.Before(t) {
		return it, false
	}
	undone := map[string]bool{}
	var lastStatusChange *time.Time
	for _, e := range h.byItem[it.ID] {
		if e.CreatedAt.Before(t) {
			if e.Field == "status" {
				at := e.CreatedAt
				lastStatusChange = &at
			}
			continue
		}
		if undone[e.Field] {
			continue
		}
		undone[e.Field] = true
		setField(&it, e.Field, e.OldValue)
	}
	if undone["status"] {
		it.ClosedAt = nil
		if !it.IsOpen() {
			it.ClosedAt = lastStatusChange
		}
	}
	return it, true
}

func setField(it *models.ActionItem, field, v string) {
	switch field {
	case "status":
		it.Status = v
	case "title":
		it.Title = v
	case "priority":
		it.Priority = v
	case "assignee":
		it.Assignee = v
	case "due_date":
		it.DueDate = nil
		if d, err := models.ParseDate(v); err == nil {
			it.DueDate = &d
		}
	}
}
