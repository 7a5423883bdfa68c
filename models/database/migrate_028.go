package database

import "gorm.io/gorm"

// migratePublicIndex (28) lets the public page read its postmortems, the
// published public ones newest first, from an index rather than a scan of
// every postmortem. Not partial: the page's query binds its values, and
// SQLite uses a partial index only for a condition written out word for
// word. Plain SQL: its own frozen copy, on both databases.
func migratePublicIndex(tx *gorm.DB) error {
	return execAll(tx,
		"CREATE INDEX IF NOT EXISTS idx_postmortems_public ON postmortems (visibility, status, published_at)",
	)
}
