package models_test

import (
	"github.com/amendsdev/amends/models/database"

	"fmt"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

// TestAttentionCounts adds items of every kind to a postmortem naming two
// customers, and checks what each adds to each customer's counts.
func TestAttentionCounts(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f, today, start := attentionFixture(t, db)
		s := f.Store
		before := countsByCustomer(t, s, today)

		newPM := func(customers ...uint) *models.Postmortem {
			pm, err := s.CreatePostmortem(ctx, f.SRE, models.PostmortemInput{Title: "Counted", Visibility: models.VisibilityShared,
				CustomerIDs: customers, Severity: "SEV2", StartedAt: &start})
			if err != nil {
				t.Fatal(err)
			}
			return pm
		}
		item := func(pm *models.Postmortem, priority, status string, due int, owner *models.Customer) {
			t.Helper()
			in := models.ItemInput{Title: "Item", Description: "details", Type: "repair", Priority: priority, Status: status,
				Owner: models.OwnerProvider, Assignee: "sre@provider.example"}
			if owner != nil {
				in.Owner, in.CustomerID, in.Assignee = models.OwnerCustomer, &owner.ID, "ops@"+owner.Slug+".example"
			}
			d := today.AddDays(due)
			in.DueDate = &d
			if _, err := s.CreateItem(ctx, f.SRE, pm.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		both := newPM(f.A.ID, f.B.ID)
		item(both, "P0", models.StatusOpen, -1, nil)      // critical and overdue, for both
		item(both, "P2", models.StatusInProgress, 0, nil) // due this week, for both
		item(both, "P3", models.StatusBlocked, 6, nil)    // due this week, for both
		item(both, "P3", models.StatusOpen, 7, nil)       // not yet
		item(both, "P0", models.StatusDone, -1, nil)      // closed
		item(both, "P1", models.StatusOpen, 30, f.B)      // Bravo's own critical item
		item(both, "P2", models.StatusBlocked, -3, f.A)   // Acme's own overdue item
		item(both, "P2", models.StatusWontFix, -3, f.A)   // closed
		deleted := newPM(f.A.ID)
		item(deleted, "P0", models.StatusOpen, -1, nil)
		// Deleting a postmortem with items is refused; behind the store's
		// back, it must still drop out of the counts.
		if err := db.W.Delete(&models.Postmortem{}, deleted.ID).Error; err != nil {
			t.Fatal(err)
		}

		after := countsByCustomer(t, s, today)
		want := map[uint]models.CustomerAttention{
			f.A.ID: {Critical: 1, Overdue: 2, OverdueCritical: 1, DueThisWeek: 2, Drafts: 1},
			f.B.ID: {Critical: 2, CriticalTheirs: 1, Overdue: 1, OverdueCritical: 1, DueThisWeek: 2, Drafts: 1},
		}
		for id, w := range want {
			if got := added(before[id], after[id]); got != w {
				t.Errorf("customer %d: added %+v, want %+v", id, got, w)
			}
		}
	})
}

// attentionFixture is a fixture whose store's clock stands at noon on
// 2026-06-10, that day, and the start of the incidents its tests write up.
func attentionFixture(t *testing.T, db *database.DB) (*testdb.Fixture, models.Date, time.Time) {
	t.Helper()
	f := testdb.NewFixture(t, db)
	f.Store.SetClock(func() time.Time { return time.Date(2026, 6, 10, 12, 0, 0, 0, time.UTC) })
	return f, f.Store.Today(), time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
}

// clearDueDate takes an item's due date away, which the due-date policy
// gave it when it was created.
func clearDueDate(t *testing.T, s *models.Store, actor *models.User, id uint) {
	t.Helper()
	if _, err := s.UpdateItem(ctx, actor, id, models.ItemPatch{DueDate: models.Opt[models.Date]{Set: true, Null: true}}); err != nil {
		t.Fatal(err)
	}
}

func countsByCustomer(t *testing.T, s *models.Store, today models.Date) map[uint]models.CustomerAttention {
	t.Helper()
	rows, err := s.AttentionCounts(ctx, today)
	if err != nil {
		t.Fatal(err)
	}
	out := map[uint]models.CustomerAttention{}
	for _, r := range rows {
		out[r.CustomerID] = r
	}
	return out
}

// added is what each count grew by from a to b.
func added(a, b models.CustomerAttention) models.CustomerAttention {
	return models.CustomerAttention{Critical: b.Critical - a.Critical, CriticalTheirs: b.CriticalTheirs - a.CriticalTheirs,
		Overdue: b.Overdue - a.Overdue, OverdueCritical: b.OverdueCritical - a.OverdueCritical,
		DueThisWeek: b.DueThisWeek - a.DueThisWeek, Drafts: b.Drafts - a.Drafts}
}

// TestAttentionListsByDueDate checks the order of the start page's lists:
// earliest due first, items without a due date after every dated one.
func TestAttentionListsByDueDate(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f, today, start := attentionFixture(t, db)
		s := f.Store
		pm, err := s.CreatePostmortem(ctx, f.SRE, models.PostmortemInput{Title: "Ordered", Visibility: models.VisibilityInternal,
			Severity: "SEV2", StartedAt: &start})
		if err != nil {
			t.Fatal(err)
		}
		ids := map[uint]string{}
		item := func(name, priority string, due int, undated bool) {
			t.Helper()
			d := today.AddDays(due)
			it, err := s.CreateItem(ctx, f.SRE, pm.ID, models.ItemInput{Title: name, Type: "repair", Priority: priority,
				Status: models.StatusOpen, Owner: models.OwnerProvider, Assignee: "sre@provider.example", DueDate: &d})
			if err != nil {
				t.Fatal(err)
			}
			if undated {
				clearDueDate(t, s, f.SRE, it.ID)
			}
			ids[it.ID] = name
		}
		item("undated P0", "P0", 0, true)
		item("P1 in five days", "P1", 5, false)
		item("P0 two days late", "P0", -2, false)
		item("P3 a day late", "P3", -1, false)
		item("P1 tomorrow", "P1", 1, false)
		item("P2 in three days", "P2", 3, false)

		a, err := s.AttentionLists(ctx, f.SRE, today)
		if err != nil {
			t.Fatal(err)
		}
		names := func(items []models.ActionItem) []string {
			var out []string
			for _, it := range items {
				if n, ok := ids[it.ID]; ok {
					out = append(out, n)
				}
			}
			return out
		}
		for _, tc := range []struct {
			list  string
			items []models.ActionItem
			want  []string
		}{
			{"critical", a.Critical, []string{"P0 two days late", "P1 tomorrow", "P1 in five days", "undated P0"}},
			{"overdue", a.Overdue, []string{"P0 two days late", "P3 a day late"}},
			{"due this week", a.DueThisWeek, []string{"P1 tomorrow", "P2 in three days", "P1 in five days"}},
		} {
			if got := names(tc.items); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("%s: %q, want %q", tc.list, got, tc.want)
			}
		}
	})
}
