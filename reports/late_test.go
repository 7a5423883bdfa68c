package reports_test

import (
	"github.com/amendsdev/amends/models/database"

	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/reports"
	"github.com/amendsdev/amends/reports/reporttest"
)

// TestLateWriteUpsAreListedApart: "Load-test checkout" was written on 2
// March for February's checkout incident. February's review, prepared
// after the month, keeps its month-end sections as they were and lists
// it in a section of its own; an internal-only item written late never
// shows; the issued snapshot states the moment it shows and when it was
// made.
func TestLateWriteUpsAreListedApart(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		sc := reporttest.New(t, db)
		ctx := context.Background()
		hidden := false
		due, _ := models.ParseDate("2026-06-01")
		if _, err := sc.Store.CreateItem(ctx, sc.SRE, sc.PM2.ID, models.ItemInput{Title: "Late and internal " + testdb.Marker,
			Type: "repair", Priority: "P1", DueDate: &due, CustomerVisible: &hidden}); err != nil {
			t.Fatal(err)
		}
		r, err := reports.Build(ctx, sc.Store, sc.Admin, sc.K.ID, month(t, "2026-02"))
		if err != nil {
			t.Fatal(err)
		}
		if got := titles(r.Late); !same(got, []string{"Load-test checkout P0"}) {
			t.Errorf("written since February ended = %q, want the load test alone", got)
		}
		for _, s := range [][]reports.Item{r.OpenOurs, r.New} {
			for _, it := range s {
				if it.Title == "Load-test checkout" {
					t.Errorf("an item written in March is in February's month-end sections")
				}
			}
		}
		if r.Stage != reports.StageLive || !r.GeneratedAt.Equal(reporttest.Now) {
			t.Errorf("live review: stage %q generated %s", r.Stage, r.GeneratedAt)
		}
		var md bytes.Buffer
		if err := reports.Render(&md, r, "md"); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"## Written since the month ended", "Items created after the month ended (2026-03-01 05:00 UTC)"} {
			if !strings.Contains(md.String(), want) {
				t.Errorf("markdown lacks %q", want)
			}
		}
		if strings.Contains(md.String(), testdb.Marker) {
			t.Errorf("an internal-only item written late reached the review")
		}
		may, err := reports.Build(ctx, sc.Store, sc.Admin, sc.K.ID, month(t, "2026-05"))
		if err != nil || len(may.Late) != 0 {
			t.Errorf("the month in progress has no late section: %+v %v", may.Late, err)
		}
		issued, err := reports.Issue(ctx, sc.Store, sc.SRE, sc.K.ID, month(t, "2026-02"), reports.IssueOptions{})
		if err != nil {
			t.Fatal(err)
		}
		sc.Store.SetClock(func() time.Time { return reporttest.Now.Add(48 * time.Hour) })
		frozen, _, err := reports.LoadIssued(ctx, sc.Store, sc.CustK, issued.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := "As it stood at the end of the month, 2026-03-01 05:00 UTC (America/New_York). Issued snapshot made 2026-05-15 12:00 UTC: later changes are not in it."
		if frozen.Stage != reports.StageIssued || frozen.AsOfLine() != want {
			t.Errorf("issued snapshot says %q (stage %q), want %q", frozen.AsOfLine(), frozen.Stage, want)
		}
	})
}
