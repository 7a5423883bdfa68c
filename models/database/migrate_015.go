package database

import "gorm.io/gorm"

// migrateCustomerIndex keys the customer index of action items by the
// customer alone, as migration 14 did the assignee's: no query reads it by
// status (the lists and counts go by postmortem, and an item's customer is
// only ever asked for beside its owner side), while every status change
// rewrote an entry of it. Counting a customer's items before deleting it
// still finds them by customer.
func migrateCustomerIndex(tx *gorm.DB) error {
	return execAll(tx,
		"CREATE INDEX IF NOT EXISTS idx_items_customer ON action_items (customer_id)",
		"DROP INDEX IF EXISTS idx_items_customer_status",
	)
}
