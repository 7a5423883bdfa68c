package models_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"errors"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

// An archived item drops out of every read of live items, for staff and
// the customer alike, keeps its history, and comes back as it was when an
// admin restores it; only staff who write items archive, only admins
// restore, and to a customer neither exists.
func TestArchiveAndRestoreItem(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		fx := testdb.NewFixture(t, db)
		s, it := fx.Store, fx.ProviderItemA

		for _, tc := range []struct {
			name  string
			actor *models.User
			want  error
		}{
			{"viewer", fx.Viewer, models.ErrForbidden},
			{"customer", fx.CustA, models.ErrNotFound},
			{"customer admin", fx.CustAdminA, models.ErrNotFound},
		} {
			if err := s.ArchiveItem(ctx, tc.actor, it.ID, models.ArchiveInput{}); !errors.Is(err, tc.want) {
				t.Errorf("%s archives: got %v, want %v", tc.name, err, tc.want)
			}
		}
		if err := s.ArchiveItem(ctx, fx.SRE, it.ID, models.ArchiveInput{Reason: "duplicate of another"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetItem(ctx, fx.Admin, it.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("staff still read the archived item: %v", err)
		}
		if _, err := s.GetItem(ctx, fx.CustA, it.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("the customer still reads the archived item: %v", err)
		}
		for _, actor := range []*models.User{fx.Admin, fx.CustA} {
			items, _, err := s.ListItems(ctx, actor, models.ItemFilter{}, models.Page{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			for _, got := range items {
				if got.ID == it.ID {
					t.Errorf("%s lists the archived item", actor.Email)
				}
			}
			pmItems, err := s.PostmortemItems(ctx, actor, it.PostmortemID)
			if err != nil {
				t.Fatal(err)
			}
			for _, got := range pmItems {
				if got.ID == it.ID {
					t.Errorf("%s reads the archived item on its postmortem", actor.Email)
				}
			}
		}
		if _, err := s.ItemHistory(ctx, fx.CustA, it.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("the customer reads the archived item's history: %v", err)
		}
		archived, err := s.ArchivedItems(ctx, fx.SRE, it.PostmortemID)
		if err != nil || len(archived) != 1 || archived[0].ID != it.ID || !archived[0].Archived() {
			t.Fatalf("archived items: %v %+v", err, archived)
		}
		if _, err := s.ArchivedItems(ctx, fx.CustA, it.PostmortemID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("a customer lists archived items: %v", err)
		}

		if _, err := s.RestoreItem(ctx, fx.SRE, it.ID); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("an SRE restores: %v", err)
		}
		if _, err := s.RestoreItem(ctx, fx.CustA, it.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("a customer restores: %v", err)
		}
		back, err := s.RestoreItem(ctx, fx.Admin, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		if back.Title != it.Title || back.Status != it.Status || back.Archived() {
			t.Errorf("restored as %+v, want %+v", back, it)
		}
		var conflict *models.ConflictError
		if _, err := s.RestoreItem(ctx, fx.Admin, it.ID); !errors.As(err, &conflict) {
			t.Errorf("restoring a live item: %v", err)
		}
		if _, err := s.GetItem(ctx, fx.CustA, it.ID); err != nil {
			t.Errorf("the customer does not read the restored item: %v", err)
		}

		history, err := s.ItemHistory(ctx, fx.Admin, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range history {
			if e.Field == "archived_at" {
				actions = append(actions, e.Action+" by "+e.Actor+": "+e.Reason)
			}
		}
		want := []string{"archived by " + fx.SRE.Email + ": duplicate of another", "restored by " + fx.Admin.Email + ": "}
		if len(actions) != 2 || actions[0] != want[0] || actions[1] != want[1] {
			t.Errorf("history: %q, want %q", actions, want)
		}
		// The customer's history of the restored item says nothing of it.
		custHistory, err := s.ItemHistory(ctx, fx.CustA, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range custHistory {
			if e.Field == "archived_at" || e.Reason != "" {
				t.Errorf("the customer reads %+v", e)
			}
		}
	})
}

// An archived comment leaves the item's comments for everyone; the
// history records it, the customer's history does not show it, and an
// admin brings it back.
func TestArchiveAndRestoreComment(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		fx := testdb.NewFixture(t, db)
		s, it := fx.Store, fx.CustomerItemA
		c, err := s.AddComment(ctx, fx.CustA, it.ID, models.CommentInput{Body: "We will roll it out on Monday."})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.ArchiveComment(ctx, fx.CustA, it.ID, c.ID, models.ArchiveInput{}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("a customer archives a comment: %v", err)
		}
		if err := s.ArchiveComment(ctx, fx.SRE, fx.ProviderItemA.ID, c.ID, models.ArchiveInput{}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("a comment archived through another item: %v", err)
		}
		if err := s.ArchiveComment(ctx, fx.SRE, it.ID, c.ID, models.ArchiveInput{Reason: "posted twice"}); err != nil {
			t.Fatal(err)
		}
		for _, actor := range []*models.User{fx.Admin, fx.CustA} {
			cs, err := s.ListComments(ctx, actor, it.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(cs) != 0 {
				t.Errorf("%s reads %d comments, want none", actor.Email, len(cs))
			}
		}
		archived, err := s.ArchivedComments(ctx, fx.SRE, it.ID)
		if err != nil || len(archived) != 1 || archived[0].ID != c.ID {
			t.Fatalf("archived comments: %v %+v", err, archived)
		}
		custHistory, err := s.ItemHistory(ctx, fx.CustA, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range custHistory {
			if e.Action == models.ActionArchived || e.Field == "comment" {
				t.Errorf("the customer reads %+v", e)
			}
		}
		if err := s.RestoreComment(ctx, fx.SRE, it.ID, c.ID); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("an SRE restores a comment: %v", err)
		}
		if err := s.RestoreComment(ctx, fx.Admin, it.ID, c.ID); err != nil {
			t.Fatal(err)
		}
		cs, err := s.ListComments(ctx, fx.CustA, it.ID)
		if err != nil || len(cs) != 1 {
			t.Errorf("after restore the customer reads %v %d comments, want 1", err, len(cs))
		}
	})
}

// An archived item is in no reminder pass, no start-page count and no
// GitHub sync: the jobs read live items only.
func TestArchivedItemLeavesTheJobs(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		fx := testdb.NewFixture(t, db)
		s, it := fx.Store, fx.ProviderItemA
		if err := db.W.Model(&models.ActionItem{}).Where("id = ?", it.ID).
			Updates(map[string]any{"github_repo": "acme/ops", "github_number": 7, "github_url": "https://github.com/acme/ops/issues/7",
				"github_state": "closed", "priority": "P0", "due_date": "2020-01-01"}).Error; err != nil {
			t.Fatal(err)
		}
		reads := func() (reminded, counted, synced bool) {
			err := s.EachOpenItems(ctx, func(items []models.ActionItem) error {
				for _, got := range items {
					reminded = reminded || got.ID == it.ID
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			counts, err := s.AttentionCounts(ctx, s.Today())
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range counts {
				counted = counted || c.CustomerID == fx.A.ID && c.OverdueCritical > 0
			}
			linked, err := s.ItemsForIssue(ctx, "acme/ops", 7)
			if err != nil {
				t.Fatal(err)
			}
			pending, err := s.PendingPushes(ctx, 100)
			if err != nil {
				t.Fatal(err)
			}
			synced = len(linked) > 0 || len(pending) > 0
			return
		}
		if r, c, g := reads(); !r || !c || !g {
			t.Fatalf("before archiving: reminded %v, counted %v, synced %v", r, c, g)
		}
		if err := s.ArchiveItem(ctx, fx.SRE, it.ID, models.ArchiveInput{}); err != nil {
			t.Fatal(err)
		}
		if r, c, g := reads(); r || c || g {
			t.Errorf("after archiving: reminded %v, counted %v, synced %v", r, c, g)
		}
	})
}

// A review shows an archived item as it stood at moments before it was
// archived, and not at moments after.
func TestReviewsOfLaterMomentsLeaveArchivedItemsOut(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		fx := testdb.NewFixture(t, db)
		s, it := fx.Store, fx.ProviderItemA
		at := time.Now().UTC().Add(time.Hour)
		s.SetClock(func() time.Time { return at })
		if err := s.ArchiveItem(ctx, fx.SRE, it.ID, models.ArchiveInput{}); err != nil {
			t.Fatal(err)
		}
		d, err := s.ReviewData(ctx, fx.Admin, fx.A.ID, at.Add(-48*time.Hour), at.Add(48*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		var cur *models.ActionItem
		for i := range d.Items {
			if d.Items[i].ID == it.ID {
				cur = &d.Items[i]
			}
		}
		if cur == nil {
			t.Fatal("the review's material lacks the archived item")
		}
		if _, _, visible := d.ItemBefore(*cur, at.Add(-time.Minute)); !visible {
			t.Error("a review of a moment before the archive leaves the item out")
		}
		if _, _, visible := d.ItemBefore(*cur, at.Add(time.Minute)); visible {
			t.Error("a review of a moment after the archive shows the item")
		}
	})
}

// A history names items by title: staff read every title, archived ones
// too; a customer only those of items it may see.
func TestHistoryItemTitles(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		fx := testdb.NewFixture(t, db)
		s := fx.Store
		if err := s.ArchiveItem(ctx, fx.SRE, fx.ProviderItemA.ID, models.ArchiveInput{}); err != nil {
			t.Fatal(err)
		}
		events := []models.AuditEvent{
			{EntityType: models.EntityActionItem, EntityID: fx.ProviderItemA.ID},
			{EntityType: models.EntityActionItem, EntityID: fx.InternalItemA.ID},
			{EntityType: models.EntityActionItem, EntityID: fx.CustomerItemA.ID},
			{EntityType: models.EntityPostmortem, EntityID: fx.SharedA.ID},
		}
		staff, err := s.HistoryItemTitles(ctx, fx.SRE, events)
		if err != nil {
			t.Fatal(err)
		}
		if staff[fx.ProviderItemA.ID] != fx.ProviderItemA.Title || staff[fx.InternalItemA.ID] != fx.InternalItemA.Title || len(staff) != 3 {
			t.Errorf("staff read %v", staff)
		}
		cust, err := s.HistoryItemTitles(ctx, fx.CustA, events)
		if err != nil {
			t.Fatal(err)
		}
		if len(cust) != 1 || cust[fx.CustomerItemA.ID] != fx.CustomerItemA.Title {
			t.Errorf("the customer reads %v, want only its own visible item's title", cust)
		}
	})
}
