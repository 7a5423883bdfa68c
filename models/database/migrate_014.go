package database

import "gorm.io/gorm"

// migrateAssigneeIndex keys the assignee index by the assignee alone. With
// status in it, every status change, the commonest write, rewrote an entry
// of it; the one query it serves, the list filtered by assignee, reads a
// person's items (a few thousand at most) and checks their status.
func migrateAssigneeIndex(tx *gorm.DB) error {
	return execAll(tx,
		"CREATE INDEX IF NOT EXISTS idx_items_assignee ON action_items (assignee)",
		"DROP INDEX IF EXISTS idx_items_assignee_status",
	)
}
