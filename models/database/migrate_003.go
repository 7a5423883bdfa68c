package database

import (
	"fmt"

	"gorm.io/gorm"
)

// migrateReports adds the index a monthly review reads item history by: the
// changes to a few fields of one customer's postmortems since a moment.
// Without it the planner walks (field, created_at) through every customer's
// recent changes, which grows with the whole database. Plain SQL is its own
// frozen copy.
func migrateReports(tx *gorm.DB) error {
	err := tx.Exec("CREATE INDEX IF NOT EXISTS idx_audit_pm_field_time ON audit_events (postmortem_id, field, created_at)").Error
	if err != nil {
		return fmt.Errorf("create idx_audit_pm_field_time: %w", err)
	}
	return nil
}
