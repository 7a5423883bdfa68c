package notify_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"fmt"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/notify"
)

// BenchmarkPass measures one pass over 100,000 open items and 5,000
// assignees: loading, composing, rendering and writing the outbox; SMTP is
// left out (no transport). Each iteration is a new day, so every pass
// writes its 5,000 emails.
func BenchmarkPass(b *testing.B) {
	db := testdb.SQLite(b)
	f := testdb.NewFixture(b, db)
	seedItems(b, db, f, 100_000, 5_000)
	day := monday
	f.Store.SetClock(func() time.Time { return day })
	r := &notify.Reminder{Store: f.Store, Outbox: notify.NewOutbox(f.Store), BaseURL: "https://amends.example"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		day = monday.AddDate(0, 0, 7*i) // a Monday: the digest lists every item
		res, err := r.RunOnce(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if res.Queued < 5_000 {
			b.Fatalf("queued %d", res.Queued)
		}
	}
}

// seedItems inserts items straight into the table: the store's audited
// create path would dominate the set-up time.
func seedItems(b testing.TB, db *database.DB, f *testdb.Fixture, items, assignees int) {
	rows := make([]models.ActionItem, 0, items)
	due, _ := models.ParseDate("2026-12-21")
	for i := range items {
		rows = append(rows, models.ActionItem{PostmortemID: f.SharedA.ID, Title: fmt.Sprintf("Item %d", i), Owner: models.OwnerProvider,
			Assignee: fmt.Sprintf("eng%d@provider.example", i%assignees), Type: "repair", Priority: []string{"P0", "P1", "P2", "P3"}[i%4],
			Status: models.StatusOpen, DueDate: &due, CustomerVisible: true, CreatedAt: monday, UpdatedAt: monday})
	}
	if err := db.W.CreateInBatches(rows, 1000).Error; err != nil {
		b.Fatal(err)
	}
}
