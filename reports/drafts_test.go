package reports_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"testing"
	"time"

	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/reports"
	"github.com/amendsdev/amends/reports/reporttest"
)

// TestPrepareDraftsOncePerCustomerAndMonth runs the job just before and
// just after New York's midnight on 1 June: Kilo's May draft appears only
// after its own month has ended, and a second pass (another replica)
// prepares nothing again.
func TestPrepareDraftsOncePerCustomerAndMonth(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		sc := reporttest.New(t, db)
		ctx := context.Background()
		at := func(s string) {
			ts, _ := time.Parse(time.RFC3339, s)
			sc.Store.SetClock(func() time.Time { return ts })
		}
		kiloDrafts := func(prepared []reports.Prepared) []string {
			var out []string
			for _, p := range prepared {
				if p.CustomerID == sc.K.ID {
					out = append(out, p.Month)
				}
			}
			return out
		}
		steps := []struct {
			now  string
			want []string
		}{
			{"2026-06-01T03:59:00Z", []string{"2026-04"}}, // still 31 May in New York
			{"2026-06-01T04:01:00Z", []string{"2026-05"}},
			{"2026-06-01T04:02:00Z", nil},
		}
		for _, s := range steps {
			at(s.now)
			prepared, err := reports.PrepareDrafts(ctx, sc.Store)
			if err != nil {
				t.Fatal(err)
			}
			if got := kiloDrafts(prepared); len(got) != len(s.want) || (len(got) == 1 && got[0] != s.want[0]) {
				t.Errorf("at %s: Kilo drafts %v, want %v", s.now, got, s.want)
			}
		}
		list, err := sc.Store.ListReviewDrafts(ctx, sc.SRE, "2026-05")
		if err != nil || len(list) == 0 {
			t.Fatalf("drafts of May: %v %v", list, err)
		}
		if _, err := sc.Store.ListReviewDrafts(ctx, sc.CustK, "2026-05"); err == nil {
			t.Error("a customer lists drafts")
		}
	})
}
