package models_test

import (
	"github.com/amendsdev/amends/models/database"

	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

// TestCustomerHistoryFromWhenVisible: a customer's history of an object
// begins when the policy first let it see the object, with the values it
// had then, and leaves out the time it could not see it; the changes that
// feeds, emails and webhooks are made of say the same.
func TestCustomerHistoryFromWhenVisible(t *testing.T) {
	no := false
	scenarios := []struct {
		name   string
		reader func(f *testdb.Fixture) *models.User
		// write changes the fixture and names the object read: a
		// postmortem when it returns no item.
		write func(t *testing.T, f *testdb.Fixture, s *models.Store) (pmID, itemID uint)
		want  []string
		// changes are the object's changes when they differ from its
		// history: an item shared by its postmortem's publication is
		// announced by the postmortem's.
		changes []string
	}{
		{
			name:   "joint postmortem, from its creation",
			reader: func(f *testdb.Fixture) *models.User { return f.CustA },
			write: func(t *testing.T, f *testdb.Fixture, s *models.Store) (uint, uint) {
				pm := createPM(t, s, f.SRE, models.PostmortemInput{Title: "Joint", Visibility: models.VisibilityJoint,
					CustomerIDs: []uint{f.A.ID}, Severity: "SEV2", ExternalSummary: "v1"})
				updatePM(t, s, f.SRE, pm.ID, models.PostmortemPatch{ExternalSummary: models.Some("v2"), Summary: models.Some("internal")})
				return pm.ID, 0
			},
			want: []string{"created external_summary=v1 status=draft title=Joint", "updated external_summary: v1 -> v2"},
		},
		{
			name:   "shared postmortem, from its publication",
			reader: func(f *testdb.Fixture) *models.User { return f.CustA },
			write: func(t *testing.T, f *testdb.Fixture, s *models.Store) (uint, uint) {
				pm := createPM(t, s, f.SRE, models.PostmortemInput{Title: "Draft name", Visibility: models.VisibilityShared,
					CustomerIDs: []uint{f.A.ID}, Severity: "SEV2", ExternalSummary: "first draft"})
				updatePM(t, s, f.SRE, pm.ID, models.PostmortemPatch{Title: models.Some("Shared"), ExternalSummary: models.Some("v1")})
				publish(t, s, f, pm.ID)
				updatePM(t, s, f.SRE, pm.ID, models.PostmortemPatch{ExternalSummary: models.Some("v2")})
				return pm.ID, 0
			},
			want: []string{"shared external_summary=v1 status=published title=Shared", "updated external_summary: v1 -> v2"},
		},
		{
			name:   "customer added to a published postmortem, from its addition",
			reader: func(f *testdb.Fixture) *models.User { return f.CustB },
			write: func(t *testing.T, f *testdb.Fixture, s *models.Store) (uint, uint) {
				pm := f.SharedA
				updatePM(t, s, f.SRE, pm.ID, models.PostmortemPatch{ExternalSummary: models.Some("for Acme only")})
				updatePM(t, s, f.SRE, pm.ID, models.PostmortemPatch{CustomerIDs: models.Some([]uint{f.A.ID, f.B.ID}),
					ExternalSummary: models.Some("for both")})
				updatePM(t, s, f.SRE, pm.ID, models.PostmortemPatch{ExternalSummary: models.Some("v3")})
				return pm.ID, 0
			},
			want: []string{"shared external_summary=for both status=published title=Shared with A", "updated external_summary: for both -> v3"},
		},
		{
			name:   "item internal for a while",
			reader: func(f *testdb.Fixture) *models.User { return f.CustA },
			write: func(t *testing.T, f *testdb.Fixture, s *models.Store) (uint, uint) {
				it := createItem(t, s, f.SRE, f.SharedA.ID, models.ItemInput{Title: "T1", Owner: models.OwnerProvider, Type: "repair", Priority: "P1"})
				patch(t, s, f.SRE, it.ID, models.ItemPatch{Title: models.Some("T2")})
				patch(t, s, f.SRE, it.ID, models.ItemPatch{CustomerVisible: models.Some(false)})
				patch(t, s, f.SRE, it.ID, models.ItemPatch{Title: models.Some("hidden " + testdb.Marker), Status: models.Some(models.StatusBlocked)})
				patch(t, s, f.SRE, it.ID, models.ItemPatch{Title: models.Some("T3"), CustomerVisible: models.Some(true)})
				patch(t, s, f.SRE, it.ID, models.ItemPatch{Status: models.Some(models.StatusDone), Assignee: models.Some("sre@provider.example")})
				return it.PostmortemID, it.ID
			},
			want: []string{"created status=open title=T1", "updated title: T1 -> T2", "shared status=blocked title=T3",
				"updated status: blocked -> done"},
		},
		{
			name:   "item created internal-only, from when it was made visible",
			reader: func(f *testdb.Fixture) *models.User { return f.CustA },
			write: func(t *testing.T, f *testdb.Fixture, s *models.Store) (uint, uint) {
				it := createItem(t, s, f.SRE, f.SharedA.ID, models.ItemInput{Title: "fix db-primary-7 after OPS-1234",
					Description: "OPS-1234", Owner: models.OwnerProvider, Type: "repair", Priority: "P1", CustomerVisible: &no})
				patch(t, s, f.SRE, it.ID, models.ItemPatch{Title: models.Some("Add a lag alert"), Description: models.Some("")})
				patch(t, s, f.SRE, it.ID, models.ItemPatch{CustomerVisible: models.Some(true)})
				return it.PostmortemID, it.ID
			},
			want: []string{"shared status=open title=Add a lag alert"},
		},
		{
			name:   "another customer's item handed to us",
			reader: func(f *testdb.Fixture) *models.User { return f.CustA },
			write: func(t *testing.T, f *testdb.Fixture, s *models.Store) (uint, uint) {
				it := f.CustomerItemBOnAB
				patch(t, s, f.SRE, it.ID, models.ItemPatch{Title: models.Some("Bravo's renamed fix")})
				patch(t, s, f.SRE, it.ID, models.ItemPatch{Owner: models.Some(models.OwnerProvider), CustomerID: models.Opt[uint]{Set: true, Null: true}})
				patch(t, s, f.SRE, it.ID, models.ItemPatch{Status: models.Some(models.StatusInProgress)})
				return it.PostmortemID, it.ID
			},
			want: []string{"shared status=open title=Bravo's renamed fix", "updated status: open -> in_progress"},
		},
		{
			name:   "item of a draft, from the postmortem's publication",
			reader: func(f *testdb.Fixture) *models.User { return f.CustA },
			write: func(t *testing.T, f *testdb.Fixture, s *models.Store) (uint, uint) {
				it := createItem(t, s, f.SRE, f.SharedDraftA.ID, models.ItemInput{Title: "draft item", Owner: models.OwnerProvider, Type: "repair", Priority: "P2"})
				patch(t, s, f.SRE, it.ID, models.ItemPatch{Title: models.Some("Clean item")})
				publish(t, s, f, f.SharedDraftA.ID)
				patch(t, s, f.SRE, it.ID, models.ItemPatch{Priority: models.Some("P1")})
				return it.PostmortemID, it.ID
			},
			want:    []string{"shared status=open title=Clean item", "updated priority: P2 -> P1"},
			changes: []string{"updated priority: P2 -> P1"},
		},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			testdb.Run(t, func(t *testing.T, db *database.DB) {
				f := testdb.NewFixture(t, db)
				s := f.Store
				start := s.Now()
				ticking(s, start)
				pmID, itemID := sc.write(t, f, s)
				u := sc.reader(f)
				var events []models.AuditEvent
				var err error
				entity, id := models.EntityPostmortem, pmID
				if itemID != 0 {
					entity, id = models.EntityActionItem, itemID
					events, err = s.ItemHistory(ctx, u, itemID)
				} else {
					events, err = s.PostmortemHistory(ctx, u, pmID)
				}
				if err != nil {
					t.Fatal(err)
				}
				if got := eventLines(events); !sameLines(got, sc.want) {
					t.Errorf("history:\n got %q\nwant %q", got, sc.want)
				}
				changes, err := s.ChangesBetween(ctx, *u.CustomerID, start, s.Now().Add(time.Hour))
				if err != nil {
					t.Fatal(err)
				}
				want := sc.changes
				if want == nil {
					want = sc.want
				}
				if got := changeLines(changes, entity, id); !sameLines(got, want) {
					t.Errorf("changes:\n got %q\nwant %q", got, want)
				}
			})
		})
	}
}

// ticking moves the store's clock a second per reading, so that every
// write has its own moment.
func ticking(s *models.Store, from time.Time) {
	var mu sync.Mutex
	now := from
	s.SetClock(func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Second)
		return now
	})
}

func createPM(t *testing.T, s *models.Store, u *models.User, in models.PostmortemInput) *models.Postmortem {
	t.Helper()
	pm, err := s.CreatePostmortem(ctx, u, in)
	if err != nil {
		t.Fatalf("create postmortem: %v", err)
	}
	return pm
}

func updatePM(t *testing.T, s *models.Store, u *models.User, id uint, p models.PostmortemPatch) {
	t.Helper()
	if _, err := s.UpdatePostmortem(ctx, u, id, p); err != nil {
		t.Fatalf("update postmortem %d: %v", id, err)
	}
}

func createItem(t *testing.T, s *models.Store, u *models.User, pmID uint, in models.ItemInput) *models.ActionItem {
	t.Helper()
	it, err := s.CreateItem(ctx, u, pmID, in)
	if err != nil {
		t.Fatalf("create item: %v", err)
	}
	return it
}

func patch(t *testing.T, s *models.Store, u *models.User, id uint, p models.ItemPatch) {
	t.Helper()
	if _, err := s.UpdateItem(ctx, u, id, p); err != nil {
		t.Fatalf("patch item %d: %v", id, err)
	}
}

func publish(t *testing.T, s *models.Store, f *testdb.Fixture, id uint) {
	t.Helper()
	if _, _, err := s.Publish(ctx, f.Admin, id, nil); err != nil {
		t.Fatalf("publish %d: %v", id, err)
	}
}

// shownValues are the opening values the lines show.
var shownValues = map[string]bool{"title": true, "status": true, "external_summary": true}

func line(action, field, old, new string, values map[string]string) string {
	if values != nil {
		var kv []string
		for k, v := range values {
			if shownValues[k] {
				kv = append(kv, k+"="+v)
			}
		}
		sort.Strings(kv)
		return action + " " + strings.Join(kv, " ")
	}
	return fmt.Sprintf("%s %s: %s -> %s", action, field, old, new)
}

func eventLines(events []models.AuditEvent) []string {
	out := []string{}
	for _, e := range events {
		out = append(out, line(e.Action, e.Field, e.OldValue, e.NewValue, e.Values))
	}
	return out
}

func changeLines(changes []models.CustomerChange, entity string, id uint) []string {
	out := []string{}
	for _, c := range changes {
		if c.EntityType == entity && c.EntityID == id {
			out = append(out, line(c.Action, c.Field, c.OldValue, c.NewValue, c.Values))
		}
	}
	return out
}

func sameLines(a, b []string) bool {
	return strings.Join(a, "\n") == strings.Join(b, "\n")
}
