package database

import (
	"path/filepath"
	"testing"

	"gorm.io/gorm"
)

// TestMigration27NumbersReviewsIssuedTwice: a month issued twice before
// migration 27 (the bug it fixes) becomes revisions 1 and 2, in the order
// issued, and the unique index then refuses a second revision 2.
func TestMigration27NumbersReviewsIssuedTwice(t *testing.T) {
	db, err := Open(OpenConfig{SQLitePath: filepath.Join(t.TempDir(), "m27.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.W.Transaction(func(tx *gorm.DB) error {
		for _, m := range sortedMigrations() {
			if m.version < 27 {
				if err := m.up(tx); err != nil {
					return err
				}
			}
		}
		return execAll(tx,
			`INSERT INTO customers (id, name, slug, time_zone, contacts, created_at, updated_at) VALUES (1, 'K', 'k', 'UTC', '[]', '2026-01-01', '2026-01-01')`,
			`INSERT INTO issued_reviews (customer_id, month, issued_by, snapshot, issued_at) VALUES (1, '2026-11', 'a', '{}', '2026-12-01'), (1, '2026-10', 'a', '{}', '2026-11-01'), (1, '2026-11', 'a', '{}', '2026-12-02')`)
	})
	if err != nil {
		t.Fatalf("schema before 27: %v", err)
	}
	if err := db.W.Transaction(migrateReviewRevisions); err != nil {
		t.Fatalf("migration 27: %v", err)
	}
	var got []struct {
		ID       uint
		Month    string
		Revision int
	}
	if err := db.R.Raw(`SELECT id, month, revision FROM issued_reviews ORDER BY id`).Scan(&got).Error; err != nil {
		t.Fatal(err)
	}
	want := []int{1, 1, 2}
	for i, r := range got {
		if r.Revision != want[i] {
			t.Errorf("review %d (%s) is revision %d, want %d", r.ID, r.Month, r.Revision, want[i])
		}
	}
	dup := db.W.Exec(`INSERT INTO issued_reviews (customer_id, month, revision, issued_by, snapshot, issued_at) VALUES (1, '2026-11', 2, 'a', '{}', '2026-12-03')`).Error
	if dup == nil {
		t.Error("a second revision 2 of 2026-11 was stored")
	}
}
