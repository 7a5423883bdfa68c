package models_test

import (
	"github.com/amendsdev/amends/models/database"

	"os"
	"testing"

	"github.com/amendsdev/amends/models"
)

// BenchmarkAttentionCounts and BenchmarkAttentionLists are the start
// page's cost on a database that was just written to, as every write
// empties SQLite's page cache for the readers. They run against
// AMENDS_BENCH_DB (for example a copy of a database made by `amends
// seed-bench --customers 2000 --action-items 1000000`), which they migrate
// and write to.
func BenchmarkAttentionCounts(b *testing.B) {
	benchAfterWrite(b, func(s *models.Store, today models.Date) error {
		_, err := s.AttentionCounts(ctx, today)
		return err
	})
}

func BenchmarkAttentionLists(b *testing.B) {
	admin := &models.User{Role: models.RoleAdmin}
	benchAfterWrite(b, func(s *models.Store, today models.Date) error {
		_, err := s.AttentionLists(ctx, admin, today)
		return err
	})
}

func benchAfterWrite(b *testing.B, read func(*models.Store, models.Date) error) {
	db := openBenchDB(b)
	store := models.NewStore(db)
	today := store.Today()
	for b.Loop() {
		b.StopTimer()
		if err := db.W.Exec("UPDATE action_items SET updated_at = updated_at WHERE id = 1").Error; err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := read(store, today); err != nil {
			b.Fatal(err)
		}
	}
}

// openBenchDB opens and migrates the database AMENDS_BENCH_DB names, or
// skips the benchmark.
func openBenchDB(b *testing.B) *database.DB {
	b.Helper()
	path := os.Getenv("AMENDS_BENCH_DB")
	if path == "" {
		b.Skip("AMENDS_BENCH_DB names no database")
	}
	db, err := database.Open(database.OpenConfig{SQLitePath: path})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := database.Migrate(ctx, db); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkListItemsByDueDate is the first page of the items page's lists
// by due date, right after a write, on AMENDS_BENCH_DB.
func BenchmarkListItemsByDueDate(b *testing.B) {
	admin := &models.User{Role: models.RoleAdmin}
	for _, bc := range []struct {
		name string
		f    models.ItemFilter
		sort string
	}{
		{"every item", models.ItemFilter{}, "due_date"},
		{"every item, latest first", models.ItemFilter{}, "-due_date"},
		{"open", models.ItemFilter{Status: []string{models.StatusOpen}}, "due_date"},
		{"open P0", models.ItemFilter{Status: models.OpenStatuses, Priority: []string{"P0"}}, "due_date"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			benchAfterWrite(b, func(s *models.Store, _ models.Date) error {
				_, _, err := s.ListItems(ctx, admin, bc.f, models.Page{Sort: bc.sort})
				return err
			})
		})
	}
}
