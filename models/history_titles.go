package models

import (
	"context"
	"fmt"
	"sort"
)

// inTimeOrder orders a history by when each change was made, then by id:
// events are written in id order, but the store's clock (moved by the
// demo and by imports of past incidents) need not agree with it, and
// people read a history by time.
func inTimeOrder(events []AuditEvent) []AuditEvent {
	sort.SliceStable(events, func(i, j int) bool {
		a, b := events[i], events[j]
		if !a.CreatedAt.Equal(b.CreatedAt) {
			return a.CreatedAt.Before(b.CreatedAt)
		}
		return a.ID < b.ID
	})
	return events
}

// HistoryItemTitles names the items a history's events are about, so
// that a history line reads the item's title rather than its number.
// Staff read every title, archived items' too; a customer user only the
// titles of items it may see now, so a history never names one it may not.
func (s *Store) HistoryItemTitles(ctx context.Context, actor *User, events []AuditEvent) (map[uint]string, error) {
	out := map[uint]string{}
	seen := map[uint]bool{}
	var ids []uint
	for _, e := range events {
		if e.EntityType == EntityActionItem && !seen[e.EntityID] {
			seen[e.EntityID] = true
			ids = append(ids, e.EntityID)
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	q := s.db.R.WithContext(ctx)
	if actor.IsCustomer() {
		for _, id := range ids {
			it, err := s.GetItem(ctx, actor, id)
			if isNotFound(err) {
				continue
			}
			if err != nil {
				return nil, err
			}
			out[id] = it.Title
		}
		return out, nil
	}
	var items []ActionItem
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		var part []ActionItem
		if err := q.Unscoped().Select("id, title").Where("id IN ?", chunk).Find(&part).Error; err != nil {
			return nil, fmt.Errorf("titles of items in a history: %w", err)
		}
		items = append(items, part...)
	}
	for _, it := range items {
		out[it.ID] = it.Title
	}
	return out, nil
}
