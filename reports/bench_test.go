package reports_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/benchdata"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/reports"
)

// addStatusHistory writes, for every closed item, the status event that
// closed it, so that reviews of past months roll items back for real.
func addStatusHistory(b *testing.B, db *database.DB) {
	b.Helper()
	err := db.W.Exec(`INSERT INTO audit_events (entity_type, entity_id, postmortem_id, actor, action, field, old_value, new_value, reason, created_at)
		SELECT 'action_item', id, postmortem_id, 'bench', 'updated', 'status', 'open', status, '', closed_at
		FROM action_items WHERE closed_at IS NOT NULL`).Error
	if err != nil {
		b.Fatal(err)
	}
}

func benchDB(b *testing.B, customers, items int) (*models.Store, []models.Customer) {
	b.Helper()
	db := testdb.SQLite(b)
	if err := benchdata.Fill(context.Background(), db, benchdata.Options{Customers: customers, Items: items}); err != nil {
		b.Fatal(err)
	}
	addStatusHistory(b, db)
	store := models.NewStore(db)
	admin := &models.User{Role: models.RoleAdmin}
	cs, err := store.ListCustomers(context.Background(), admin)
	if err != nil {
		b.Fatal(err)
	}
	return store, cs
}

// BenchmarkReviewOneCustomer: one customer with 500 items over the last
// twelve months, last month's review (rolled back) and every format.
func BenchmarkReviewOneCustomer(b *testing.B) {
	store, cs := benchDB(b, 1, 500)
	admin := &models.User{Role: models.RoleAdmin}
	m := reports.MonthOf(time.Now(), time.UTC).Add(-1)
	ctx := context.Background()
	for _, format := range []string{"build", "json", "md", "csv", "html", "pdf"} {
		b.Run(format, func(b *testing.B) {
			for b.Loop() {
				r, err := reports.Build(ctx, store, admin, cs[0].ID, m)
				if err != nil {
					b.Fatal(err)
				}
				if format != "build" {
					if err := reports.Render(discard{}, r, format); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkAllReviews builds last month's review of every customer of a
// large database: AMENDS_BENCH_CUSTOMERS and AMENDS_BENCH_ITEMS size it
// (2,000 and 1,000,000 for the figures in the docs; smaller by default).
func BenchmarkAllReviews(b *testing.B) {
	customers, items := envInt("AMENDS_BENCH_CUSTOMERS", 200), envInt("AMENDS_BENCH_ITEMS", 100_000)
	start := time.Now()
	store, cs := benchDB(b, customers, items)
	b.Logf("filled %d customers, %d items in %s", customers, items, time.Since(start).Round(time.Second))
	admin := &models.User{Role: models.RoleAdmin}
	m := reports.MonthOf(time.Now(), time.UTC).Add(-1)
	ctx := context.Background()
	for b.Loop() {
		for _, c := range cs {
			if _, err := reports.Build(ctx, store, admin, c.ID, m); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(cs))/1000, "ms/review")
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
