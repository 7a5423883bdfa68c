package models

import (
	"database/sql"
	"fmt"

	"gorm.io/gorm"
)

// getItemAndPostmortem also returns the item's postmortem, which deciding
// whether the actor may see the item reads anyway. The postmortem is
// partial: what the access rules and an item's validation read (its
// status, visibility, start and the ids of its customers), not its text,
// which can be long.
//
// It is one hand-scanned query rather than three GORM ones: every item
// update reads it, and GORM's statement building and reflective scan were
// nine tenths of its cost (a CPU profile under bench/update.lua).
func (s *Store) getItemAndPostmortem(q *gorm.DB, actor *User, id uint) (*ActionItem, *Postmortem, error) {
	rows, err := q.Raw(itemAndPostmortemQuery, id).Rows()
	if err != nil {
		return nil, nil, fmt.Errorf("load action item %d: %w", id, err)
	}
	it, pm, err := scanItemAndPostmortem(rows)
	if err != nil {
		return nil, nil, fmt.Errorf("load action item %d: %w", id, err)
	}
	if it == nil || !actor.CanSeeItem(it) || !actor.CanSeePostmortem(pm) {
		return nil, nil, fmt.Errorf("action item %d: %w", id, ErrNotFound)
	}
	return it, pm, nil
}

// itemColumns are every column of action_items, in the order itemFields
// gives their destinations.
const itemColumns = "a.id, a.postmortem_id, a.title, a.description, a.owner, a.customer_id, a.assignee, a.type, " +
	"a.priority, a.status, a.due_date, a.customer_visible, a.github_url, a.github_state, a.github_repo, " +
	"a.github_number, a.github_state_reason, a.github_title, a.github_assignees, a.github_gone, " +
	"a.github_moved_to, a.github_synced_at, a.github_updated_at, a.closed_at, a.created_by_id, " +
	"a.created_at, a.updated_at"

// itemAndPostmortemQuery has one row per customer of the postmortem (one
// with a NULL customer when it has none), each repeating the item.
const itemAndPostmortemQuery = "SELECT " + itemColumns + ", p.status, p.visibility, p.started_at, pc.customer_id " +
	"FROM action_items a JOIN postmortems p ON p.id = a.postmortem_id AND p.deleted_at IS NULL " +
	"LEFT JOIN postmortem_customers pc ON pc.postmortem_id = p.id WHERE a.id = ?"

// itemFields are the destinations of itemColumns in it.
func itemFields(it *ActionItem) []any {
	return []any{&it.ID, &it.PostmortemID, &it.Title, &it.Description, &it.Owner, &it.CustomerID, &it.Assignee,
		&it.Type, &it.Priority, &it.Status, &it.DueDate, &it.CustomerVisible, &it.GitHubURL, &it.GitHubState,
		&it.GitHubRepo, &it.GitHubNumber, &it.GitHubStateReason, &it.GitHubTitle, &it.GitHubAssignees,
		&it.GitHubGone, &it.GitHubMovedTo, &it.GitHubSyncedAt, &it.GitHubUpdatedAt, &it.ClosedAt,
		&it.CreatedByID, &it.CreatedAt, &it.UpdatedAt}
}

// scanItemAndPostmortem reads the rows of itemAndPostmortemQuery; the item
// is nil when there were none.
func scanItemAndPostmortem(rows *sql.Rows) (*ActionItem, *Postmortem, error) {
	defer rows.Close()
	var it *ActionItem
	pm := &Postmortem{}
	for rows.Next() {
		var row ActionItem
		var customer sql.NullInt64
		dest := append(itemFields(&row), &pm.Status, &pm.Visibility, &pm.StartedAt, &customer)
		if err := rows.Scan(dest...); err != nil {
			return nil, nil, err
		}
		if it == nil {
			it = &row
			pm.ID = row.PostmortemID
		}
		if customer.Valid {
			pm.Customers = append(pm.Customers, Customer{ID: uint(customer.Int64)})
		}
	}
	return it, pm, rows.Err()
}
