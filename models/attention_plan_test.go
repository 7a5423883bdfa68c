package models

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestAttentionCountsReadTheCoveringIndex guards the literal condition the
// counts query shares with its partial index: should they drift apart,
// SQLite reads every open item from the table again, five times slower.
func TestAttentionCountsReadTheCoveringIndex(t *testing.T) {
	db, err := Open(OpenConfig{SQLitePath: filepath.Join(t.TempDir(), "plan.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	var plan []struct {
		ID, Parent, Notused int
		Detail              string
	}
	args := map[string]any{"today": "2026-06-10", "week": "2026-06-17"}
	if err := db.R.Raw("EXPLAIN QUERY PLAN "+attentionCountsSQL, args).Scan(&plan).Error; err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, p := range plan {
		steps = append(steps, p.Detail)
	}
	if all := strings.Join(steps, "\n"); !strings.Contains(all, "USING COVERING INDEX idx_items_open_counts") {
		t.Errorf("counts query does not read idx_items_open_counts:\n%s", all)
	}
}
