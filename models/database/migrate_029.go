package database

import "gorm.io/gorm"

// migrateSLIs (29) gives an SLO its SLI (PromQL queries for good or bad
// events and for total events, OpenSLO's ratioMetric) and an impact the
// source of its figure: typed ("recorded") or adopted from the SLI
// ("measured"), with the events measured. Plain SQL: its own frozen copy,
// on both databases.
func migrateSLIs(tx *gorm.DB) error {
	return execAll(tx,
		`ALTER TABLE slos ADD COLUMN sli_good_query TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE slos ADD COLUMN sli_bad_query TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE slos ADD COLUMN sli_total_query TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE impacts ADD COLUMN source VARCHAR(20) NOT NULL DEFAULT 'recorded'`,
		`ALTER TABLE impacts ADD COLUMN bad_events DOUBLE PRECISION NOT NULL DEFAULT 0`,
		`ALTER TABLE impacts ADD COLUMN total_events DOUBLE PRECISION NOT NULL DEFAULT 0`,
	)
}
