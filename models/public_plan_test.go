package models

import (
	"strings"
	"testing"

	"gorm.io/gorm"
)

// TestPublicListReadsItsIndex guards the public page's list: it must find
// the public, published postmortems in the index of migration 28, newest
// first, rather than read every postmortem and sort them.
func TestPublicListReadsItsIndex(t *testing.T) {
	db := planDB(t)
	sql := db.R.ToSQL(func(tx *gorm.DB) *gorm.DB {
		var pms []Postmortem
		return publicCandidates(tx).Select(publicPMColumns).Order("published_at DESC, id DESC").Limit(31).Find(&pms)
	})
	plan := queryPlan(t, db, sql)
	if !strings.Contains(plan, "USING INDEX idx_postmortems_public") || strings.Contains(plan, "SCAN postmortems") {
		t.Errorf("the public list does not read idx_postmortems_public:\n%s\n%s", sql, plan)
	}
}
