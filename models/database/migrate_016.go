package database

import "gorm.io/gorm"

// migrateStatusIndexes takes status out of the indexes a status change had
// to rewrite without needing it there; the change of status is the
// commonest write, and each index entry it moves is a page more to write.
//
// A postmortem's items are found by the postmortem alone: there are a few
// dozen, and their status is read from the rows. The lists by due date and
// priority (critical, overdue, due this week) only ever ask for open items,
// so their index keeps open items only; the (status, due date) index, whose
// ranges the priority index serves once the query names every priority,
// goes. A partial index serves only queries that state its condition, so
// queries for open items state it (openItemsCondition); with no index led
// by status for other statuses, SQLite finds a customer's items by their
// postmortems instead of walking every item with a given status.
func migrateStatusIndexes(tx *gorm.DB) error {
	return execAll(tx,
		"CREATE INDEX IF NOT EXISTS idx_items_pm ON action_items (postmortem_id)",
		"DROP INDEX IF EXISTS idx_items_pm_status",
		"CREATE INDEX IF NOT EXISTS idx_items_open_priority_due ON action_items (status, priority, due_date) WHERE status IN ('open', 'in_progress', 'blocked')",
		"DROP INDEX IF EXISTS idx_items_status_priority_due",
		"DROP INDEX IF EXISTS idx_items_status_due",
	)
}
