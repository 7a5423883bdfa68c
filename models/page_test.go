package models_test

import (
	"github.com/amendsdev/amends/models/database"

	"errors"
	"fmt"
	"sort"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

func TestPagesCoverTheListOnceInOrder(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		s := f.Store
		for i := 0; i < 9; i++ {
			in := models.ItemInput{Title: fmt.Sprintf("item %d", i), Type: "repair", Priority: models.Priorities[i%4]}
			if i%3 != 0 {
				d, _ := models.ParseDate(fmt.Sprintf("2026-06-%02d", 10-i%4))
				in.DueDate = &d
			}
			it, err := s.CreateItem(ctx, f.SRE, f.Internal.ID, in)
			if err != nil {
				t.Fatal(err)
			}
			// Items get a due date by policy; a third have theirs taken
			// away, so that due-date pages cross from dated to undated.
			if in.DueDate == nil {
				clearDueDate(t, s, f.SRE, it.ID)
			}
		}
		pmID := f.Internal.ID
		filter := models.ItemFilter{PostmortemID: &pmID}
		all, _, err := s.ListItems(ctx, f.Admin, filter, models.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		undated := 0
		for _, it := range all {
			if it.DueDate == nil {
				undated++
			}
		}
		if undated != 3 {
			t.Fatalf("%d items without a due date, want 3", undated)
		}
		for _, sortBy := range []string{"id", "-id", "due_date", "-due_date", "priority", "-priority", "updated_at", "-created_at"} {
			for _, size := range []int{1, 2, 4} {
				t.Run(fmt.Sprintf("%s by %d", sortBy, size), func(t *testing.T) {
					checkPages(t, s, f.Admin, filter, sortBy, size, all)
				})
			}
		}
		_, _, err = s.ListItems(ctx, f.Admin, filter, models.Page{Sort: "due_date", Cursor: "garbage"})
		var verr *models.ValidationError
		if !errors.As(err, &verr) || verr.Fields["cursor"] == "" {
			t.Errorf("bad cursor: want a validation error on cursor, got %v", err)
		}
		if _, _, err = s.ListItems(ctx, f.Admin, filter, models.Page{Sort: "colour"}); !errors.As(err, &verr) || verr.Fields["sort"] == "" {
			t.Errorf("bad sort: want a validation error on sort, got %v", err)
		}
	})
}

// checkPages reads a list page by page and checks that the pages hold
// every item of all once, in the order of sortBy.
func checkPages(t *testing.T, s *models.Store, u *models.User, filter models.ItemFilter, sortBy string, size int, all []models.ActionItem) {
	t.Helper()
	var got []models.ActionItem
	cursor := ""
	for pages := 0; ; pages++ {
		items, next, err := s.ListItems(ctx, u, filter, models.Page{Limit: size, Sort: sortBy, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, items...)
		if next == "" {
			break
		}
		if pages > len(all) {
			t.Fatal("pagination does not end")
		}
		cursor = next
	}
	if len(got) != len(all) {
		t.Fatalf("pages hold %d items, the list has %d", len(got), len(all))
	}
	seen := map[uint]bool{}
	for _, it := range got {
		if seen[it.ID] {
			t.Fatalf("item %d appears twice", it.ID)
		}
		seen[it.ID] = true
	}
	key := sortKey(sortBy)
	if !sort.SliceIsSorted(got, func(i, j int) bool { return key(got[i], got[j]) }) {
		t.Errorf("pages are not in %s order", sortBy)
	}
}

// sortKey is the strict order of a sort, ties broken by id.
func sortKey(sortBy string) func(a, b models.ActionItem) bool {
	due := func(a models.ActionItem) string {
		if a.DueDate == nil {
			return "9999-12-31"
		}
		return a.DueDate.String()
	}
	asc := func(a, b models.ActionItem) bool {
		switch trim(sortBy) {
		case "due_date":
			if due(a) != due(b) {
				return due(a) < due(b)
			}
		case "priority":
			if a.Priority != b.Priority {
				return a.Priority < b.Priority
			}
		case "updated_at":
			if !a.UpdatedAt.Equal(b.UpdatedAt) {
				return a.UpdatedAt.Before(b.UpdatedAt)
			}
		case "created_at":
			if !a.CreatedAt.Equal(b.CreatedAt) {
				return a.CreatedAt.Before(b.CreatedAt)
			}
		}
		return a.ID < b.ID
	}
	if sortBy[0] == '-' {
		return func(a, b models.ActionItem) bool { return asc(b, a) }
	}
	return asc
}

func trim(s string) string {
	if s[0] == '-' {
		return s[1:]
	}
	return s
}

func TestItemFilters(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		s := f.Store
		past, _ := models.ParseDate("2020-01-01")
		if _, err := s.UpdateItem(ctx, f.SRE, f.ProviderItemA.ID, models.ItemPatch{DueDate: models.Some(past)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateItem(ctx, f.SRE, f.ItemB.ID, models.ItemPatch{DueDate: models.Some(past), Status: models.Some(models.StatusDone)}); err != nil {
			t.Fatal(err)
		}
		a, b := f.A.ID, f.B.ID
		scenarios := []struct {
			name   string
			filter models.ItemFilter
			want   []*models.ActionItem
		}{
			{"overdue excludes closed", models.ItemFilter{Overdue: true}, []*models.ActionItem{f.ProviderItemA}},
			{"customer A: provider items on its postmortems and its own", models.ItemFilter{CustomerID: &a},
				[]*models.ActionItem{f.ProviderItemA, f.InternalItemA, f.CustomerItemA, f.JointItemA, f.InternalPMItem}},
			{"customer B", models.ItemFilter{CustomerID: &b}, []*models.ActionItem{f.ItemB, f.CustomerItemBOnAB}},
			{"owner customer", models.ItemFilter{Owner: "customer"}, []*models.ActionItem{f.CustomerItemA, f.JointItemA, f.CustomerItemBOnAB}},
			{"status done", models.ItemFilter{Status: []string{"done"}}, []*models.ActionItem{f.ItemB}},
			{"customer A open", models.ItemFilter{CustomerID: &a, Status: []string{"open"}, Owner: "customer"}, []*models.ActionItem{f.CustomerItemA, f.JointItemA}},
			{"assignee", models.ItemFilter{Assignee: "nobody@example"}, nil},
		}
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				items, _, err := s.ListItems(ctx, f.Admin, sc.filter, models.Page{})
				if err != nil {
					t.Fatal(err)
				}
				var got, want []uint
				for _, it := range items {
					got = append(got, it.ID)
				}
				for _, it := range sc.want {
					want = append(want, it.ID)
				}
				sort.Slice(want, func(i, j int) bool { return want[i] < want[j] })
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("got items %v, want %v", got, want)
				}
			})
		}
		_, _, err := s.ListItems(ctx, f.Admin, models.ItemFilter{Status: []string{"closed"}, Priority: []string{"high"}}, models.Page{})
		var verr *models.ValidationError
		if !errors.As(err, &verr) || verr.Fields["status"] == "" || verr.Fields["priority"] == "" {
			t.Errorf("bad filter values: want status and priority named, got %v", err)
		}
	})
}
