package models_test

import (
	"github.com/amendsdev/amends/models/database"

	"errors"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

func TestUpdatesWriteOneEventPerChangedField(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		s := f.Store
		at := time.Date(2026, 4, 2, 9, 30, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return at })
		due, _ := models.ParseDate("2026-05-01")
		it, err := s.UpdateItem(ctx, f.SRE, f.ProviderItemA.ID, models.ItemPatch{
			Status: models.Some(models.StatusDone), DueDate: models.Some(due), Title: models.Some(f.ProviderItemA.Title),
		})
		if err != nil {
			t.Fatal(err)
		}
		if it.ClosedAt == nil || !it.ClosedAt.Equal(at) || !it.UpdatedAt.Equal(at) {
			t.Errorf("closed_at %v updated_at %v, want both %v", it.ClosedAt, it.UpdatedAt, at)
		}
		stored, err := s.GetItem(ctx, f.Admin, it.ID)
		if err != nil || stored.Status != models.StatusDone || stored.DueDate == nil || *stored.DueDate != due ||
			stored.ClosedAt == nil || !stored.ClosedAt.Equal(at) || !stored.UpdatedAt.Equal(at) {
			t.Errorf("stored %+v (%v): want done, due %v, closed and updated at %v", stored, err, due, at)
		}
		events, err := s.ItemHistory(ctx, f.Admin, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		// The history is in time order, and the clock was set back before
		// the update: its events come before the creation's.
		got := map[string]models.AuditEvent{}
		created := 0
		for _, e := range events {
			switch e.Action {
			case models.ActionUpdated:
				got[e.Field] = e
			case models.ActionCreated:
				created++
			}
		}
		if created != 1 || len(got) != 2 {
			t.Fatalf("events %+v: want created then due_date and status", events)
		}
		st := got["status"]
		if st.OldValue != "open" || st.NewValue != "done" || st.Actor != f.SRE.Email || !st.CreatedAt.Equal(at) {
			t.Errorf("status event %+v", st)
		}
		if got["due_date"].NewValue != "2026-05-01" {
			t.Errorf("due_date event %+v", got["due_date"])
		}
		// The same patch again changes nothing and records nothing.
		if _, err := s.UpdateItem(ctx, f.SRE, it.ID, models.ItemPatch{Status: models.Some(models.StatusDone)}); err != nil {
			t.Fatal(err)
		}
		again, _ := s.ItemHistory(ctx, f.Admin, it.ID)
		if len(again) != len(events) {
			t.Errorf("a no-op patch wrote %d events", len(again)-len(events))
		}
		reopened, err := s.UpdateItem(ctx, f.SRE, it.ID, models.ItemPatch{Status: models.Some(models.StatusOpen)})
		if err != nil || reopened.ClosedAt != nil {
			t.Errorf("reopen: closed_at %v, err %v", reopened.ClosedAt, err)
		}
		if stored, err := s.GetItem(ctx, f.Admin, it.ID); err != nil || stored.Status != models.StatusOpen || stored.ClosedAt != nil {
			t.Errorf("reopened, stored %+v (%v): want open, not closed", stored, err)
		}
	})
}

func TestRejectedChangeWritesNothing(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		s := f.Store
		before, _ := s.PostmortemHistory(ctx, f.Admin, f.SharedA.ID)
		_, err := s.UpdatePostmortem(ctx, f.SRE, f.SharedA.ID, models.PostmortemPatch{
			Title: models.Some("New title"), Severity: models.Some("SEV9"),
		})
		var verr *models.ValidationError
		if !errors.As(err, &verr) || verr.Fields["severity"] == "" {
			t.Fatalf("want severity refused, got %v", err)
		}
		pm, _ := s.GetPostmortem(ctx, f.Admin, f.SharedA.ID)
		after, _ := s.PostmortemHistory(ctx, f.Admin, f.SharedA.ID)
		if pm.Title != f.SharedA.Title || len(after) != len(before) {
			t.Errorf("a refused patch changed the title to %q or wrote %d events", pm.Title, len(after)-len(before))
		}
	})
}

func TestCustomerHistoryHidesInternalChanges(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		s := f.Store
		if _, err := s.UpdateItem(ctx, f.SRE, f.ProviderItemA.ID, models.ItemPatch{
			Status: models.Some(models.StatusBlocked), Assignee: models.Some("someone@provider.example"),
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateItem(ctx, f.CustA, f.CustomerItemA.ID, models.ItemPatch{Status: models.Some(models.StatusDone)}); err != nil {
			t.Fatal(err)
		}
		events, err := s.ItemHistory(ctx, f.CustA, f.ProviderItemA.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			if e.Field == "assignee" || e.Actor != "provider" {
				t.Errorf("customer sees %+v", e)
			}
		}
		if last := events[len(events)-1]; last.Field != "status" || last.NewValue != "blocked" {
			t.Errorf("customer does not see the status change: %+v", events)
		}
		own, _ := s.ItemHistory(ctx, f.CustAdminA, f.CustomerItemA.ID)
		if last := own[len(own)-1]; last.Actor != f.CustA.Name {
			t.Errorf("a change by the customer's own colleague shows actor %q, want %q", last.Actor, f.CustA.Name)
		}
		pmEvents, _ := s.PostmortemHistory(ctx, f.CustA, f.SharedA.ID)
		for _, e := range pmEvents {
			if e.EntityType != models.EntityPostmortem || e.Field == "summary" || e.Field == "root_causes" {
				t.Errorf("customer sees postmortem event %+v", e)
			}
		}
	})
}
