package models_test

import (
	"github.com/amendsdev/amends/models/database"

	"errors"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

func TestJointPostmortemIsWrittenAndSignedByBothSides(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		s := f.Store
		in := models.JointSectionInput{Impact: "Checkout failed for 40 minutes.", WentWell: "Failover worked."}
		if _, err := s.SaveJointSection(ctx, f.CustA, f.JointA.ID, f.A.ID, in); err != nil {
			t.Fatalf("customer writing its own section: %v", err)
		}
		if _, err := s.SaveJointSection(ctx, f.CustA, f.JointA.ID, f.B.ID, in); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("customer writing another customer's section: %v", err)
		}
		if _, err := s.SaveJointSection(ctx, f.CustB, f.JointA.ID, f.B.ID, in); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("customer B writing on A's postmortem: %v", err)
		}
		var rule *models.RuleError
		if _, err := s.SaveJointSection(ctx, f.SRE, f.SharedA.ID, f.A.ID, in); !errors.As(err, &rule) {
			t.Errorf("a section on a shared postmortem: %v", err)
		}
		secs, err := s.JointSections(ctx, f.SRE, f.JointA.ID)
		if err != nil || len(secs) != 1 || secs[0].Impact != in.Impact {
			t.Fatalf("sections seen by staff: %+v %v", secs, err)
		}
		hist, _ := s.PostmortemHistory(ctx, f.SRE, f.JointA.ID)
		if last := hist[len(hist)-1]; last.Actor != f.CustA.Email || last.Field == "" {
			t.Errorf("the customer's edit is not in the history as theirs: %+v", last)
		}

		if _, _, err := s.Publish(ctx, f.SRE, f.JointA.ID, nil); !errors.As(err, &rule) || rule.Code != "sign_off_missing" {
			t.Fatalf("publishing without sign-offs: %v", err)
		}
		if _, err := s.SignOff(ctx, f.SRE, f.JointA.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Publish(ctx, f.SRE, f.JointA.ID, nil); !errors.As(err, &rule) || rule.Message == "" {
			t.Fatalf("publishing with the provider's sign-off only: %v", err)
		}
		so, err := s.SignOff(ctx, f.CustAdminA, f.JointA.ID)
		if err != nil || so.CustomerID != f.A.ID {
			t.Fatalf("customer sign-off: %+v %v", so, err)
		}
		if again, err := s.SignOff(ctx, f.CustA, f.JointA.ID); err != nil || again.ID != so.ID {
			t.Errorf("signing twice makes a second sign-off: %+v %v", again, err)
		}
		signed, _ := s.SignOffs(ctx, f.CustA, f.JointA.ID)
		if len(signed) != 2 || signed[1].User.Name != f.CustAdminA.Name {
			t.Errorf("sign-offs %+v", signed)
		}
		if _, _, err := s.Publish(ctx, f.SRE, f.JointA.ID, nil); err != nil {
			t.Errorf("publishing after both sides signed off: %v", err)
		}
	})
}

func TestFollowUpsShowHowEarlierPromisesTurnedOut(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		s := f.Store
		later := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
		next, err := s.UpdatePostmortem(ctx, f.SRE, f.SharedAB.ID, models.PostmortemPatch{StartedAt: models.Some(later), ResolvedAt: models.Some(later.Add(time.Hour))})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range []*models.ActionItem{f.ProviderItemA, f.InternalItemA} {
			if err := s.AddFollowUp(ctx, f.SRE, next.ID, it.ID); err != nil {
				t.Fatalf("follow-up %q: %v", it.Title, err)
			}
		}
		var conflict *models.ConflictError
		if err := s.AddFollowUp(ctx, f.SRE, next.ID, f.ProviderItemA.ID); !errors.As(err, &conflict) {
			t.Errorf("the same follow-up twice: %v", err)
		}
		var verr *models.ValidationError
		if err := s.AddFollowUp(ctx, f.SRE, f.SharedA.ID, f.CustomerItemBOnAB.ID); !errors.As(err, &verr) {
			t.Errorf("a follow-up from a later postmortem: %v", err)
		}
		if _, err := s.UpdateItem(ctx, f.SRE, f.ProviderItemA.ID, models.ItemPatch{Status: models.Some(models.StatusDone)}); err != nil {
			t.Fatal(err)
		}
		staff, _ := s.FollowUps(ctx, f.SRE, next.ID)
		cust, _ := s.FollowUps(ctx, f.CustA, next.ID)
		if len(staff) != 2 || len(cust) != 1 || cust[0].ID != f.ProviderItemA.ID || cust[0].Status != models.StatusDone {
			t.Errorf("follow-ups: staff %d, customer %+v", len(staff), cust)
		}
		if _, err := s.FollowUps(ctx, f.CustB, f.SharedA.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("customer B reading A's follow-ups: %v", err)
		}
	})
}
