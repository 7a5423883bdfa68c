package database

import "gorm.io/gorm"

// migrateDropAuditPMIndex drops the index of audit events by postmortem
// alone: idx_audit_pm_field_time (migration 3) starts with the same column
// and serves every query it did. Each change writes an audit event, so
// every index on audit_events is one more page written per change.
func migrateDropAuditPMIndex(tx *gorm.DB) error {
	return execAll(tx, "DROP INDEX IF EXISTS idx_audit_pm")
}
