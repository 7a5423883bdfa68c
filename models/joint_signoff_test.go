package models_test

import (
	"github.com/amendsdev/amends/models/database"

	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

// TestACustomerSeesNoOtherCustomersSignOff: on a joint postmortem written
// with two customers, each reads the provider's sign-off and its own, not
// that the other organisation is there or when it signed; staff read all.
func TestACustomerSeesNoOtherCustomersSignOff(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		s := f.Store
		pm, err := s.CreatePostmortem(ctx, f.SRE, models.PostmortemInput{Title: "Joint with both", Visibility: models.VisibilityJoint,
			CustomerIDs: []uint{f.A.ID, f.B.ID}, Severity: "SEV2"})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range []*models.User{f.SRE, f.CustA, f.CustB} {
			if _, err := s.SignOff(ctx, u, pm.ID); err != nil {
				t.Fatalf("sign-off of %s: %v", u.Email, err)
			}
		}
		scenarios := []struct {
			who  *models.User
			want map[uint]bool // sides: 0 is the provider
		}{
			{f.SRE, map[uint]bool{0: true, f.A.ID: true, f.B.ID: true}},
			{f.CustA, map[uint]bool{0: true, f.A.ID: true}},
			{f.CustB, map[uint]bool{0: true, f.B.ID: true}},
		}
		for _, sc := range scenarios {
			list, err := s.SignOffs(ctx, sc.who, pm.ID)
			if err != nil {
				t.Fatal(err)
			}
			got := map[uint]bool{}
			for _, so := range list {
				got[so.CustomerID] = true
			}
			if len(got) != len(sc.want) || len(list) != len(sc.want) {
				t.Errorf("%s reads the sign-offs of sides %v, want %v", sc.who.Email, got, sc.want)
			}
			for side := range sc.want {
				if !got[side] {
					t.Errorf("%s does not read the sign-off of side %d", sc.who.Email, side)
				}
			}
		}
	})
}
