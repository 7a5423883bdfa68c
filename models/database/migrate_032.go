package database

import "gorm.io/gorm"

// migrateArchive (32) lets an action item or a comment be archived: a
// soft delete an admin can undo, with the history kept. archived_at is
// NULL while the row is live. The two partial indexes over open items
// (migration 17) are rebuilt with archived_at IS NULL in their condition:
// every query of live items states it (GORM adds it), and an index whose
// condition the query implies still serves it; the one by postmortem
// carries archived_at as its last column (always NULL in it), without
// which SQLite reads every counted row from the table to check it.
// Plain SQL, its own frozen copy; only the timestamp type differs by
// database, as GORM's own columns do.
func migrateArchive(tx *gorm.DB) error {
	ts := "DATETIME"
	if tx.Dialector.Name() == "postgres" {
		ts = "TIMESTAMPTZ"
	}
	return execAll(tx,
		"ALTER TABLE action_items ADD COLUMN archived_at "+ts+" NULL",
		"ALTER TABLE comments ADD COLUMN archived_at "+ts+" NULL",
		"DROP INDEX IF EXISTS idx_items_open_pm",
		"CREATE INDEX idx_items_open_pm ON action_items (postmortem_id, status, owner, customer_id, priority, due_date, archived_at) WHERE status IN ('open', 'in_progress', 'blocked') AND archived_at IS NULL",
		"DROP INDEX IF EXISTS idx_items_open_due",
		"CREATE INDEX idx_items_open_due ON action_items (priority, due_date) WHERE status IN ('open', 'in_progress', 'blocked') AND archived_at IS NULL",
	)
}
