package models

import (
	"database/sql"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// itemField pairs a column of action_items with the field it fills, so
// that the SELECT list of a read and the scan of its rows come from one
// table and cannot drift apart.
type itemField struct {
	column string
	dest   func(*ActionItem) any
	// customer says a customer's reads take the column: what a customer
	// may see of an item, what the policy reads, and what lists sort by.
	// The GitHub issue as last seen and who created the item are
	// internal, and a customer's list spares every row the reading of
	// them.
	customer bool
}

// itemFields are every column of an action item, in table order.
var itemFields = []itemField{
	{"id", func(a *ActionItem) any { return &a.ID }, true},
	{"postmortem_id", func(a *ActionItem) any { return &a.PostmortemID }, true},
	{"title", func(a *ActionItem) any { return &a.Title }, true},
	{"description", func(a *ActionItem) any { return &a.Description }, true},
	{"owner", func(a *ActionItem) any { return &a.Owner }, true},
	{"customer_id", func(a *ActionItem) any { return &a.CustomerID }, true},
	{"assignee", func(a *ActionItem) any { return &a.Assignee }, true},
	{"type", func(a *ActionItem) any { return &a.Type }, true},
	{"priority", func(a *ActionItem) any { return &a.Priority }, true},
	{"status", func(a *ActionItem) any { return &a.Status }, true},
	{"due_date", func(a *ActionItem) any { return &a.DueDate }, true},
	{"customer_visible", func(a *ActionItem) any { return &a.CustomerVisible }, true},
	{"github_url", func(a *ActionItem) any { return &a.GitHubURL }, true},
	{"github_state", func(a *ActionItem) any { return &a.GitHubState }, true},
	{"github_repo", func(a *ActionItem) any { return &a.GitHubRepo }, false},
	{"github_number", func(a *ActionItem) any { return &a.GitHubNumber }, false},
	{"github_state_reason", func(a *ActionItem) any { return &a.GitHubStateReason }, false},
	{"github_title", func(a *ActionItem) any { return &a.GitHubTitle }, false},
	{"github_assignees", func(a *ActionItem) any { return &a.GitHubAssignees }, false},
	{"github_gone", func(a *ActionItem) any { return &a.GitHubGone }, false},
	{"github_moved_to", func(a *ActionItem) any { return &a.GitHubMovedTo }, false},
	{"github_synced_at", func(a *ActionItem) any { return &a.GitHubSyncedAt }, false},
	{"github_updated_at", func(a *ActionItem) any { return &a.GitHubUpdatedAt }, false},
	{"closed_at", func(a *ActionItem) any { return &a.ClosedAt }, true},
	{"created_by_id", func(a *ActionItem) any { return &a.CreatedByID }, false},
	{"created_at", func(a *ActionItem) any { return &a.CreatedAt }, true},
	{"updated_at", func(a *ActionItem) any { return &a.UpdatedAt }, true},
	// NULL on every live item, which are the only ones reads find; the
	// policy reads it (CanSeeItem).
	{"archived_at", func(a *ActionItem) any { return &a.ArchivedAt }, true},
}

// itemRead is the columns one audience's reads take of an item.
type itemRead []itemField

// itemReadFor is what the actor's reads take: a customer's, only what it
// may see.
func itemReadFor(actor *User) itemRead {
	if !actor.IsCustomer() {
		return itemFields
	}
	var r itemRead
	for _, f := range itemFields {
		if f.customer {
			r = append(r, f)
		}
	}
	return r
}

// columns is the SELECT list, qualified by the table.
func (r itemRead) columns() string {
	var b strings.Builder
	for i, f := range r {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("action_items.")
		b.WriteString(f.column)
	}
	return b.String()
}

// find runs q with the read's columns and scans each row straight into
// an ActionItem: a list's rows are most of its cost, and GORM's
// reflection over every field of every row was a fifth of a list's CPU.
func (r itemRead) find(q *gorm.DB) ([]ActionItem, error) {
	rows, err := q.Select(r.columns()).Rows()
	if err != nil {
		return nil, err
	}
	return r.scan(rows)
}

// scan reads every row into an ActionItem and closes rows.
func (r itemRead) scan(rows *sql.Rows) ([]ActionItem, error) {
	defer rows.Close()
	var items []ActionItem
	dest := make([]any, len(r))
	for rows.Next() {
		items = append(items, ActionItem{})
		it := &items[len(items)-1]
		for i, f := range r {
			dest[i] = f.dest(it)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("scan action item: %w", err)
		}
	}
	return items, rows.Err()
}
