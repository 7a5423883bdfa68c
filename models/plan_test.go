package models

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/gorm"
)

// The plans below are SQLite's on a database without statistics, the same
// whatever its size: an empty one shows what a million items will get.

func planDB(t *testing.T) *database.DB {
	t.Helper()
	db, err := database.Open(database.OpenConfig{SQLitePath: filepath.Join(t.TempDir(), "plan.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := database.Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	return db
}

// queryPlan is SQLite's plan for a query as it will run, with its
// arguments bound rather than written into the text.
func queryPlan(t *testing.T, db *database.DB, sql string, args ...any) string {
	t.Helper()
	var plan []struct {
		ID, Parent, Notused int
		Detail              string
	}
	if err := db.R.Raw("EXPLAIN QUERY PLAN "+sql, args...).Scan(&plan).Error; err != nil {
		t.Fatalf("explain %s: %v", sql, err)
	}
	var steps []string
	for _, p := range plan {
		steps = append(steps, p.Detail)
	}
	return strings.Join(steps, "\n")
}

// TestAttentionCountsReadTheCoveringIndex guards the literal condition the
// counts query shares with its partial index: should they drift apart,
// SQLite reads every open item from the table again, five times slower.
func TestAttentionCountsReadTheCoveringIndex(t *testing.T) {
	db := planDB(t)
	plan := queryPlan(t, db, attentionCountsSQL, map[string]any{"today": "2026-06-10", "week": "2026-06-17"})
	if !strings.Contains(plan, "USING COVERING INDEX idx_items_open_pm") {
		t.Errorf("counts query does not read idx_items_open_pm:\n%s", plan)
	}
}

// TestItemListsReadTheirIndexes guards the item lists against plans that
// walk every item of a status, or every item: with status out of the
// indexes a status change rewrites (migration 16), each list finds its
// rows through an index only as long as it states the right conditions.
func TestItemListsReadTheirIndexes(t *testing.T) {
	db := planDB(t)
	s := NewStore(db)
	ctx := context.Background()
	customerID := uint(7)
	staff := &User{ID: 1, Role: RoleSRE}
	customer := &User{ID: 2, Role: RoleCustomer, CustomerID: &customerID}
	pmID := uint(3)
	today, _ := ParseDate("2026-06-10")
	tests := []struct {
		name  string
		actor *User
		f     ItemFilter
		want  string
	}{
		{"customer's open items, for staff", staff, ItemFilter{CustomerID: &customerID, Status: []string{StatusOpen}},
			"idx_items_open_pm (postmortem_id=? AND status=?)"},
		{"open items in the portal", customer, ItemFilter{Status: OpenStatuses}, "idx_items_open_pm (postmortem_id=? AND status=?)"},
		{"every item in the portal", customer, ItemFilter{}, "idx_items_pm (postmortem_id=?)"},
		{"customer's done items", staff, ItemFilter{CustomerID: &customerID, Status: []string{StatusDone}}, "idx_items_pm (postmortem_id=?)"},
		{"a postmortem's items", staff, ItemFilter{PostmortemID: &pmID}, "idx_items_pm (postmortem_id=?)"},
		{"critical items", staff, ItemFilter{Status: OpenStatuses, Priority: []string{"P0", "P1"}},
			"idx_items_open_due (priority=?)"},
		{"overdue items", staff, ItemFilter{Overdue: true}, "idx_items_open_due (priority=? AND due_date<?)"},
		{"an assignee's items", staff, ItemFilter{Assignee: "ana"}, "idx_items_assignee (assignee=?)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := s.itemQuery(ctx, tt.actor, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			checkPlan(t, db, q, tt.want)
		})
	}
	t.Run("items due this week", func(t *testing.T) {
		q, err := s.dueBetween(ctx, staff, today, today.AddDays(7))
		if err != nil {
			t.Fatal(err)
		}
		checkPlan(t, db, q, "idx_items_open_due (priority=? AND due_date>? AND due_date<?)")
	})
	// The items page's default: every item, by due date. The dated ones
	// are read in the order of the due-date index (keyset.valued).
	t.Run("every item by due date", func(t *testing.T) {
		q, err := s.itemQuery(ctx, staff, ItemFilter{})
		if err != nil {
			t.Fatal(err)
		}
		sf, err := sortNamed(itemSorts, "due_date")
		if err != nil {
			t.Fatal(err)
		}
		checkPlan(t, db, keyset[ActionItem]{sf: sf, idExpr: "action_items.id"}.valuedQuery(q), "idx_items_due (due_date>?)")
	})
}

// checkPlan checks that q, ordered then by id as a page is, searches the
// index want names.
func checkPlan(t *testing.T, db *database.DB, q *gorm.DB, want string) {
	t.Helper()
	var items []ActionItem
	stmt := q.Session(&gorm.Session{DryRun: true}).Order("action_items.id").Limit(51).Find(&items).Statement
	plan := queryPlan(t, db, stmt.SQL.String(), stmt.Vars...)
	if !strings.Contains(plan, "USING INDEX "+want) && !strings.Contains(plan, "USING COVERING INDEX "+want) {
		t.Errorf("plan does not search %s:\n%s\n%s", want, stmt.SQL.String(), plan)
	}
}
