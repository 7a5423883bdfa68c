package database

import "gorm.io/gorm"

// migrateReviewRevisions (27) numbers issued reviews per customer and
// month, so that issuing twice returns the one issued and a deliberate
// re-issue is a revision that supersedes the earlier for the customer;
// and keeps an SLO's calendar alignment (OpenSLO timeWindow.calendar).
// Reviews issued twice before this step become revisions 1, 2… in the
// order they were issued. Plain SQL: its own frozen copy, on both
// databases.
func migrateReviewRevisions(tx *gorm.DB) error {
	return execAll(tx,
		`ALTER TABLE issued_reviews ADD COLUMN revision INTEGER NOT NULL DEFAULT 1`,
		`UPDATE issued_reviews SET revision = (SELECT COUNT(*) FROM issued_reviews r2
			WHERE r2.customer_id = issued_reviews.customer_id AND r2.month = issued_reviews.month AND r2.id <= issued_reviews.id)`,
		`CREATE UNIQUE INDEX idx_issued_reviews_revision ON issued_reviews (customer_id, month, revision)`,
		`ALTER TABLE slos ADD COLUMN calendar_duration VARCHAR(10) NOT NULL DEFAULT ''`,
		`ALTER TABLE slos ADD COLUMN calendar_start VARCHAR(40) NOT NULL DEFAULT ''`,
		`ALTER TABLE slos ADD COLUMN calendar_time_zone VARCHAR(64) NOT NULL DEFAULT ''`,
	)
}
