package models

import (
	"strconv"
	"strings"
	"time"
)

// Objects at past moments. Every change to a postmortem or an item writes
// each changed field's old and new value as auditFields writes them, so
// setting a field to an event's old value undoes the change and setting it
// to the new value replays it. A customer's history (trail.go) and the
// review as of a month's end (ReviewData) both read objects as they stood
// this way, and ask the policy (CanSeePostmortem, CanSeeItem) about the
// object as it stood, never as it stands now.

// setItemField sets one audited field of an item from its audit text.
func setItemField(it *ActionItem, field, v string) {
	switch field {
	case "title":
		it.Title = v
	case "description":
		it.Description = v
	case "owner":
		it.Owner = v
	case "customer_id":
		it.CustomerID = parseID(v)
	case "assignee":
		it.Assignee = v
	case "type":
		it.Type = v
	case "priority":
		it.Priority = v
	case "status":
		it.Status = v
	case "due_date":
		it.DueDate = nil
		if d, err := ParseDate(v); err == nil {
			it.DueDate = &d
		}
	case "customer_visible":
		it.CustomerVisible = v == "true"
	case "github_url":
		it.GitHubURL = v
	case fieldArchivedAt:
		setArchivedAt(it, v)
	}
}

// setPostmortemField sets one audited field of a postmortem from its audit
// text. Fields of other things recorded on the postmortem (sign-offs,
// joint sections, follow-ups) are not its own and are left alone.
func setPostmortemField(pm *Postmortem, field, v string) {
	switch field {
	case "title":
		pm.Title = v
	case "visibility":
		pm.Visibility = v
	case "severity":
		pm.Severity = v
	case "status":
		pm.Status = v
	case "started_at":
		pm.StartedAt = parseTime(v)
	case "detected_at":
		pm.DetectedAt = parseTime(v)
	case "resolved_at":
		pm.ResolvedAt = parseTime(v)
	case "published_at":
		pm.PublishedAt = parseTime(v)
	case "owner_id":
		pm.OwnerID = parseID(v)
	case "customer_ids":
		pm.Customers = parseCustomerIDs(v)
	default:
		if p := pm.textFields()[field]; p != nil {
			*p = v
		}
	}
}

// itemBefore is the item as it stood just before t, from its current state
// and its changes (oldest first) made from t on; false when it did not
// exist yet. Its closed_at is that of its last change of status before t.
func itemBefore(cur ActionItem, events []AuditEvent, t time.Time) (ActionItem, bool) {
	if !cur.CreatedAt.Before(t) {
		return cur, false
	}
	it := cur
	var lastStatusChange *time.Time
	statusUndone := false
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		if e.CreatedAt.Before(t) {
			if e.Field == "status" && lastStatusChange == nil {
				at := e.CreatedAt
				lastStatusChange = &at
			}
			continue
		}
		statusUndone = statusUndone || e.Field == "status"
		setItemField(&it, e.Field, e.OldValue)
	}
	if statusUndone {
		it.ClosedAt = nil
		if !it.IsOpen() {
			it.ClosedAt = lastStatusChange
		}
	}
	return it, true
}

// postmortemBefore is the postmortem as it stood just before t, from its
// current state and its changes (oldest first) made from t on; false when
// it did not exist yet.
func postmortemBefore(cur Postmortem, events []AuditEvent, t time.Time) (Postmortem, bool) {
	if !cur.CreatedAt.Before(t) {
		return cur, false
	}
	pm := cur
	for i := len(events) - 1; i >= 0 && !events[i].CreatedAt.Before(t); i-- {
		setPostmortemField(&pm, events[i].Field, events[i].OldValue)
	}
	return pm, true
}

func parseID(v string) *uint {
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return nil
	}
	id := uint(n)
	return &id
}

func parseTime(v string) *time.Time {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil
	}
	return &t
}

// parseCustomerIDs reads fmtIDs' list; the customers carry their ids only,
// which is all the policy reads of them.
func parseCustomerIDs(v string) []Customer {
	var out []Customer
	for _, s := range strings.Split(v, ",") {
		if id := parseID(s); id != nil {
			out = append(out, Customer{ID: *id})
		}
	}
	return out
}
