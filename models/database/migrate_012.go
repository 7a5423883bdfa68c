package database

import "gorm.io/gorm"

// migrateAttentionIndexes adds what the staff start page reads by. Plain
// SQL is its own frozen copy, and runs the same on SQLite and PostgreSQL.
//
// The per-customer counts read a handful of columns of every open item;
// covered by a partial index in postmortem order, they never touch the
// table and need no sort to group. A partial index serves only queries
// that state its condition, so the counts query states this one literally.
//
// The list of critical items, oldest due first, picks its first rows by
// the due date: with the due date in the (status, priority) index, only
// those rows are read from the table. The wider index replaces the old.
func migrateAttentionIndexes(tx *gorm.DB) error {
	return execAll(tx,
		"CREATE INDEX IF NOT EXISTS idx_items_open_counts ON action_items (status, postmortem_id, owner, customer_id, priority, due_date) WHERE status IN ('open', 'in_progress', 'blocked')",
		"CREATE INDEX IF NOT EXISTS idx_items_status_priority_due ON action_items (status, priority, due_date)",
		"DROP INDEX IF EXISTS idx_items_status_priority",
	)
}
