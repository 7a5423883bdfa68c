package models

import (
	"fmt"

	"gorm.io/gorm"
)

// migrateDropAuditPMIndex drops the index of audit events by postmortem
// alone: idx_audit_pm_field_time (migration 3) starts with the same column
// and serves every query it did. Each change writes an audit event, so
// every index on audit_events is one more page written per change.
func migrateDropAuditPMIndex(tx *gorm.DB) error {
	if err := tx.Exec("DROP INDEX IF EXISTS idx_audit_pm").Error; err != nil {
		return fmt.Errorf("drop idx_audit_pm: %w", err)
	}
	return nil
}
