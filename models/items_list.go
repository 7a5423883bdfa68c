package models

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// ItemFilter narrows an action item list. Status and Priority accept several
// values. CustomerID selects what concerns that customer: provider items on
// postmortems naming it and the items it owns.
type ItemFilter struct {
	Status       []string
	Priority     []string
	Owner        string
	CustomerID   *uint
	Assignee     string
	Overdue      bool
	PostmortemID *uint
}

// noDueDate is what an item without a due date sorts as, in cursors: after
// every date.
const noDueDate = "9999-12-31"

var itemSorts = []sortField[ActionItem]{
	{name: "id", expr: "action_items.id", value: func(*ActionItem) string { return "" }},
	// Items without a due date sort last.
	{name: "due_date", expr: "action_items.due_date", nullValue: noDueDate, value: func(a *ActionItem) string {
		if a.DueDate == nil {
			return noDueDate
		}
		return a.DueDate.String()
	}},
	{name: "priority", expr: "action_items.priority", value: func(a *ActionItem) string { return a.Priority }},
	{name: "created_at", expr: "action_items.created_at", isTime: true, value: func(a *ActionItem) string { return timeValue(a.CreatedAt) }},
	{name: "updated_at", expr: "action_items.updated_at", isTime: true, value: func(a *ActionItem) string { return timeValue(a.UpdatedAt) }},
}

// openItemsCondition is the condition of the indexes over open items
// (migration 17), word for word: SQLite uses a partial index only for a
// query that states its condition. Lists of open items state it beside
// their own status filter; with it stated, the indexes find a customer's
// open items per postmortem and the critical or overdue ones by priority
// and due date, and the status filter picks among the rows fetched.
const openItemsCondition = "action_items.status IN ('open', 'in_progress', 'blocked')"

// everyPriority names every priority, so that the open items' index on
// (priority, due date) serves a range of due dates, one priority after
// another.
const everyPriority = "action_items.priority IN ('P0', 'P1', 'P2', 'P3')"

// ListItems lists one page of the action items the actor can see.
func (s *Store) ListItems(ctx context.Context, actor *User, f ItemFilter, p Page) ([]ActionItem, string, error) {
	q, err := s.itemQuery(ctx, actor, f)
	if err != nil {
		return nil, "", err
	}
	if err := validateItemSort(actor, p.Sort); err != nil {
		return nil, "", err
	}
	if p.Sort == "" {
		p.Sort = "id"
	}
	items, next, err := paginate(q, p, "action_items.id", func(a *ActionItem) uint { return a.ID }, itemSorts, itemReadFor(actor).find)
	if err != nil {
		return nil, "", fmt.Errorf("list action items: %w", err)
	}
	return items, next, nil
}

// Validate names every bad value of the filter.
func (f ItemFilter) Validate() error {
	bad := fieldErrors{}
	for _, v := range f.Status {
		bad.oneOf("status", v, ItemStatuses)
	}
	for _, v := range f.Priority {
		bad.oneOf("priority", v, Priorities)
	}
	if f.Owner != "" {
		bad.oneOf("owner", f.Owner, Owners)
	}
	return bad.err()
}

func (s *Store) itemQuery(ctx context.Context, actor *User, f ItemFilter) (*gorm.DB, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if err := f.validateFor(actor); err != nil {
		return nil, err
	}
	q := actor.scopeItems(s.db.R.WithContext(ctx).Model(&ActionItem{}))
	if len(f.Status) > 0 {
		q = q.Where("action_items.status IN ?", f.Status)
		if !slices.ContainsFunc(f.Status, IsClosedStatus) {
			q = q.Where(openItemsCondition)
		}
	}
	if len(f.Priority) > 0 {
		q = q.Where("action_items.priority IN ?", f.Priority)
	}
	if f.Owner != "" {
		q = q.Where("action_items.owner = ?", f.Owner)
	}
	if f.CustomerID != nil {
		q = actor.scopeCustomerFilter(q, *f.CustomerID).Where("action_items.postmortem_id IN (SELECT postmortem_id FROM postmortem_customers WHERE customer_id = ?)", *f.CustomerID).
			Where("(action_items.owner = ? OR action_items.customer_id = ?)", OwnerProvider, *f.CustomerID)
	}
	if f.Assignee != "" {
		q = q.Where("action_items.assignee = ?", f.Assignee)
	}
	if f.PostmortemID != nil {
		q = q.Where("action_items.postmortem_id = ?", *f.PostmortemID)
	}
	if f.Overdue {
		q = q.Where(openItemsCondition).Where(everyPriority).Where("action_items.due_date < ?", s.Today().String())
	}
	return q, nil
}

// PostmortemItems lists the visible items of a visible postmortem.
func (s *Store) PostmortemItems(ctx context.Context, actor *User, pmID uint) ([]ActionItem, error) {
	if _, err := s.GetPostmortem(ctx, actor, pmID); err != nil {
		return nil, err
	}
	q, err := s.itemQuery(ctx, actor, ItemFilter{PostmortemID: &pmID})
	if err != nil {
		return nil, err
	}
	items, err := itemReadFor(actor).find(q.Order("action_items.id"))
	if err != nil {
		return nil, fmt.Errorf("list items of postmortem %d: %w", pmID, err)
	}
	return items, nil
}

// OpenItemsByPriority counts open items per priority, for metrics.
func (s *Store) OpenItemsByPriority(ctx context.Context) (map[string]int64, error) {
	var rows []struct {
		Priority string
		N        int64
	}
	err := s.db.R.WithContext(ctx).Model(&ActionItem{}).Select("priority, COUNT(*) AS n").
		Where(openItemsCondition).Group("priority").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("count open items: %w", err)
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.Priority] = r.N
	}
	return out, nil
}
