package reports_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/reports"
	"github.com/amendsdev/amends/reports/reporttest"
)

func month(t *testing.T, s string) reports.Month {
	t.Helper()
	m, err := reports.ParseMonth(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func titles(items []reports.Item) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it.Title+" "+it.Priority)
	}
	return out
}

func incidentTitles(r *reports.Review) []string {
	out := []string{}
	for _, in := range r.Incidents {
		out = append(out, in.Title)
	}
	return out
}

func same(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestReviewAsOfMonthEnd checks each month against the hand-worked history
// in reporttest: New York month boundaries, an item closed after its month
// ended still open in that month, a priority and a title as they were.
func TestReviewAsOfMonthEnd(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		sc := reporttest.New(t, db)
		cases := []struct {
			month                        string
			incidents, ours, yours, shut []string
			newItems                     []string
			consumed, spent              float64 // in the SLO's window at month end; by the month's incidents
			overdue                      int
		}{
			// The login outage started on 31 January in New York.
			{"2026-01", []string{"Login outage"}, []string{"Add failover for the login service P0"}, []string{}, []string{},
				[]string{"Add failover for the login service P0"}, 10.8, 21.6, 0},
			// Certificates closed on 2 April: still open, P1 and overdue at the end of February.
			{"2026-02", []string{"Checkout errors"}, []string{"Alert on checkout error rate P1"}, []string{"Rotate client certificates P1"},
				[]string{"Add failover for the login service P0"}, []string{"Alert on checkout error rate P1"}, 32.4, 10.8, 2},
			// Certificates became P2 on 5 March; alerting was renamed on 10 March.
			{"2026-03", []string{}, []string{"Load-test checkout P0", "Alert on checkout 5xx rate P1"}, []string{}, []string{}, []string{}, 0, 0, 2},
			{"2026-04", []string{}, []string{"Load-test checkout P0", "Alert on checkout 5xx rate P1"}, []string{}, []string{"Rotate client certificates P2"}, []string{}, 0, 0, 2},
		}
		for _, c := range cases {
			r, err := reports.Build(context.Background(), sc.Store, sc.Admin, sc.K.ID, month(t, c.month))
			if err != nil {
				t.Fatalf("%s: %v", c.month, err)
			}
			checks := []struct {
				what      string
				got, want []string
			}{
				{"incidents", incidentTitles(r), c.incidents}, {"open ours", titles(r.OpenOurs), c.ours},
				{"open yours", titles(r.OpenYours), c.yours}, {"closed", titles(r.Closed), c.shut}, {"new", titles(r.New), c.newItems},
			}
			for _, ch := range checks {
				if !same(ch.got, ch.want) {
					t.Errorf("%s %s = %q, want %q", c.month, ch.what, ch.got, ch.want)
				}
			}
			// The login outage ran 04:30–05:30 UTC on 1 February, across
			// January's end in New York (05:00 UTC): half of its 21.6 minutes
			// fall in the 30 days to January's end; February's window (from 30
			// January 05:00 UTC) holds both incidents, March's neither.
			if len(r.Budgets) != 1 || r.Budgets[0].ConsumedMinutes != c.consumed || r.Budgets[0].MonthMinutes != c.spent {
				t.Errorf("%s budgets = %+v, want %.1f minutes consumed in the window, %.1f by the month's incidents", c.month, r.Budgets, c.consumed, c.spent)
			}
			if r.Counts.Overdue != c.overdue || r.Current {
				t.Errorf("%s counts = %+v current=%v, want %d overdue, not current", c.month, r.Counts, r.Current, c.overdue)
			}
		}
	})
}

func TestBudgetMaths(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		sc := reporttest.New(t, db)
		r, err := reports.Build(context.Background(), sc.Store, sc.Admin, sc.K.ID, month(t, "2026-01"))
		if err != nil {
			t.Fatal(err)
		}
		// (1 − 0.999) × 30 × 1440 = 43.2 minutes. January's incident cost
		// 21.6, half of it, but only its first half-hour (10.8, a quarter)
		// had happened by January's end in New York.
		b := r.Budgets[0]
		if b.BudgetMinutes != 43.2 || b.ConsumedShare != 0.25 || b.RemainingMinutes != 32.4 || b.MonthMinutes != 21.6 ||
			b.MonthShare != 0.5 || b.Exhausted || b.Window.Kind != "rolling" {
			t.Errorf("budget = %+v, want 43.2 minutes, a quarter spent in the window, 32.4 left, half by the month's incidents", b)
		}
		if imp := r.Incidents[0].Impacts; len(imp) != 1 || math.Abs(imp[0].BudgetShare-0.5) > 1e-9 {
			t.Errorf("impacts = %+v, want one at half the budget", imp)
		}
		if got := r.From.UTC().Format("2006-01-02T15:04"); got != "2026-01-01T05:00" {
			t.Errorf("January in New York starts at %s UTC, want 2026-01-01T05:00", got)
		}
	})
}

func TestTrendAndCurrentMonth(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		sc := reporttest.New(t, db)
		r, err := reports.Build(context.Background(), sc.Store, sc.Admin, sc.K.ID, month(t, "2026-05"))
		if err != nil {
			t.Fatal(err)
		}
		if !r.Current || !r.AsOf.Equal(reporttest.Now) {
			t.Errorf("May is current: as_of = %s, current = %v", r.AsOf, r.Current)
		}
		want := []struct {
			month       string
			ours, yours int
			worst       float64
		}{{"2025-12", 0, 0, 0}, {"2026-01", 1, 0, 0.25}, {"2026-02", 1, 1, 0.75}, {"2026-03", 2, 0, 0}, {"2026-04", 2, 0, 0}, {"2026-05", 2, 0, 0}}
		if len(r.Trend) != len(want) {
			t.Fatalf("trend = %+v", r.Trend)
		}
		for i, w := range want {
			p := r.Trend[i]
			if p.Month != w.month || p.OpenCriticalOurs != w.ours || p.OpenCriticalYours != w.yours || math.Abs(p.WorstBudgetShare-w.worst) > 1e-9 {
				t.Errorf("trend[%d] = %+v, want %+v", i, p, w)
			}
		}
	})
}

func TestReviewAccess(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		sc := reporttest.New(t, db)
		ctx := context.Background()
		if _, err := reports.Build(ctx, sc.Store, sc.CustA, sc.K.ID, month(t, "2026-02")); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("another customer's review: err = %v, want not found", err)
		}
		r, err := reports.Build(ctx, sc.Store, sc.CustK, sc.K.ID, month(t, "2026-02"))
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range r.AllItems() {
			if it.Side == "ours" && it.Assignee != models.DefaultTeamName {
				t.Errorf("customer sees the provider's assignee %q on %q, want the team", it.Assignee, it.Title)
			}
			if it.ID == sc.Secret.ID {
				t.Errorf("customer sees the internal-only item")
			}
		}
		if len(r.OpenYours) != 1 || r.OpenYours[0].Assignee != "ops@kilo.example" {
			t.Errorf("customer's own items = %+v", r.OpenYours)
		}
		var verr *models.ValidationError
		if _, err := reports.Build(ctx, sc.Store, sc.Admin, sc.K.ID, month(t, "2026-06")); !errors.As(err, &verr) {
			t.Errorf("future month: err = %v, want a validation error", err)
		}
		if _, err := reports.ParseMonth("2026-13"); !errors.As(err, &verr) {
			t.Errorf("month 13: err = %v, want a validation error", err)
		}
	})
}

// TestPastMonthWithItsVisibility: a past month is rebuilt with what the
// customer could see at its end. An item internal-only at February's end
// and made visible in March is absent from February under either title; a
// postmortem still a draft at February's end brings no item and none of
// its draft text into February; titles are those of the month's end.
func TestPastMonthWithItsVisibility(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		sc := reporttest.New(t, db)
		ctx, s := context.Background(), sc.Store
		step := func(when time.Time, f func() error) {
			t.Helper()
			s.SetClock(func() time.Time { return when })
			if err := f(); err != nil {
				t.Fatalf("at %s: %v", when, err)
			}
		}
		utc := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, time.UTC) }
		step(utc(3, 3), func() error {
			_, err := s.UpdateItem(ctx, sc.SRE, sc.Secret.ID, models.ItemPatch{Title: models.Some("Tune the connection pool"), CustomerVisible: models.Some(true)})
			return err
		})
		step(utc(4, 5), func() error {
			_, err := s.UpdateItem(ctx, sc.SRE, sc.Secret.ID, models.ItemPatch{Title: models.Some("Tune the checkout pool")})
			return err
		})
		step(utc(3, 20), func() error {
			_, err := s.UpdatePostmortem(ctx, sc.SRE, sc.PM2.ID, models.PostmortemPatch{Title: models.Some("Checkout errors in one region")})
			return err
		})
		// An incident of 20 February whose postmortem is published on 3 March.
		var late *models.Postmortem
		start := utc(2, 20)
		step(start.Add(time.Hour), func() (err error) {
			late, err = s.CreatePostmortem(ctx, sc.SRE, models.PostmortemInput{Title: "Draft title ZZDRAFTZZ",
				Visibility: models.VisibilityShared, CustomerIDs: []uint{sc.K.ID}, Severity: "SEV3", StartedAt: &start,
				ExternalSummary: "Draft summary ZZDRAFTZZ"})
			return err
		})
		var draftItem *models.ActionItem
		step(start.Add(2*time.Hour), func() (err error) {
			draftItem, err = s.CreateItem(ctx, sc.SRE, late.ID, models.ItemInput{Title: "Draft item ZZDRAFTZZ", Type: "repair", Priority: "P0"})
			return err
		})
		step(utc(3, 3), func() error {
			_, err := s.UpdatePostmortem(ctx, sc.SRE, late.ID, models.PostmortemPatch{Title: models.Some("Payment delays"),
				ExternalSummary: models.Some("Payments were delayed.")})
			if err == nil {
				_, err = s.UpdateItem(ctx, sc.SRE, draftItem.ID, models.ItemPatch{Title: models.Some("Retry payment webhooks")})
			}
			if err == nil {
				_, _, err = s.Publish(ctx, sc.Admin, late.ID, nil)
			}
			return err
		})
		s.SetClock(func() time.Time { return reporttest.Now })
		cases := []struct {
			month         string
			ours          []string
			pmTitles      []string
			absent        []string
			itemOfPM2Says string
		}{
			{"2026-02", []string{"Alert on checkout error rate P1"}, []string{"Login outage", "Checkout errors", "Payment delays"},
				[]string{"Tune the", testdb.Marker, "ZZDRAFTZZ", "Draft item", "in one region"}, "Checkout errors"},
			{"2026-03", []string{"Retry payment webhooks P0", "Load-test checkout P0", "Alert on checkout 5xx rate P1", "Tune the connection pool P1"}, nil,
				[]string{"Tune the checkout pool", testdb.Marker, "ZZDRAFTZZ"}, "Checkout errors in one region"},
		}
		for _, c := range cases {
			for _, reader := range []*models.User{sc.CustK, sc.Admin} {
				r, err := reports.Build(ctx, s, reader, sc.K.ID, month(t, c.month))
				if err != nil {
					t.Fatalf("%s: %v", c.month, err)
				}
				if got := titles(r.OpenOurs); !same(got, c.ours) {
					t.Errorf("%s as %s: open ours = %q, want %q", c.month, reader.Email, got, c.ours)
				}
				var pms []string
				for _, pm := range r.Postmortems {
					pms = append(pms, pm.Title)
				}
				if c.pmTitles != nil && !same(pms, c.pmTitles) {
					t.Errorf("%s as %s: postmortems %q, want %q", c.month, reader.Email, pms, c.pmTitles)
				}
				for _, it := range r.OpenOurs {
					if it.PostmortemID == sc.PM2.ID && it.PostmortemTitle != c.itemOfPM2Says {
						t.Errorf("%s: item %q is on %q, want %q", c.month, it.Title, it.PostmortemTitle, c.itemOfPM2Says)
					}
				}
				out, _ := json.Marshal(r)
				for _, a := range c.absent {
					if strings.Contains(string(out), a) {
						t.Errorf("%s as %s: the review shows %q", c.month, reader.Email, a)
					}
				}
			}
		}
	})
}
