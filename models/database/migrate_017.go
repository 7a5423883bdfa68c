package database

import "gorm.io/gorm"

// migrateOpenIndexesByPostmortem takes status out of the lead of the two
// indexes over open items (migrations 12 and 16). The commonest write
// moves an item between open statuses (open, in progress, blocked); with
// status leading the key, each such change took the entry out of one range
// of the index and put it into another, far apart: two pages to write per
// index. The index by postmortem keeps status second, where a change moves
// the entry among the few of its own postmortem, on the same page: it
// still covers the start page's counts and finds a postmortem's items of
// one status. The index by priority and due date drops status: the lists
// it serves read each row anyway, and the condition of the index still
// holds open items only.
func migrateOpenIndexesByPostmortem(tx *gorm.DB) error {
	return execAll(tx,
		"CREATE INDEX IF NOT EXISTS idx_items_open_pm ON action_items (postmortem_id, status, owner, customer_id, priority, due_date) WHERE status IN ('open', 'in_progress', 'blocked')",
		"DROP INDEX IF EXISTS idx_items_open_counts",
		"CREATE INDEX IF NOT EXISTS idx_items_open_due ON action_items (priority, due_date) WHERE status IN ('open', 'in_progress', 'blocked')",
		"DROP INDEX IF EXISTS idx_items_open_priority_due",
	)
}
