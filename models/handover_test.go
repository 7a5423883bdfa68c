package models_test

import (
	"github.com/amendsdev/amends/models/database"

	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

// TestHandingAnItemOverClearsTheAssignee: our assignee must not travel
// with an item handed to a customer (who reads the assignee of items it
// owns), nor a customer's to us or to another customer; a new assignee
// named in the same change is kept.
func TestHandingAnItemOverClearsTheAssignee(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		s := f.Store
		scenarios := []struct {
			name  string
			item  *models.ActionItem
			patch models.ItemPatch
			want  string
		}{
			{"provider to customer", f.ProviderItemA,
				models.ItemPatch{Owner: models.Some(models.OwnerCustomer), CustomerID: models.Some(f.A.ID)}, ""},
			{"customer to provider", f.CustomerItemA,
				models.ItemPatch{Owner: models.Some(models.OwnerProvider), CustomerID: models.Opt[uint]{Set: true, Null: true}}, ""},
			{"handed over with a new assignee", f.JointItemA,
				models.ItemPatch{Owner: models.Some(models.OwnerProvider), CustomerID: models.Opt[uint]{Set: true, Null: true},
					Assignee: models.Some("oncall@provider.example")}, "oncall@provider.example"},
			{"same side", f.ItemB, models.ItemPatch{Status: models.Some(models.StatusBlocked)}, "sre@provider.example"},
		}
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				it, err := s.UpdateItem(t.Context(), f.SRE, sc.item.ID, sc.patch)
				if err != nil {
					t.Fatal(err)
				}
				if it.Assignee != sc.want {
					t.Errorf("assignee %q, want %q", it.Assignee, sc.want)
				}
				again, err := s.GetItem(t.Context(), f.Admin, sc.item.ID)
				if err != nil || again.Assignee != sc.want {
					t.Errorf("stored assignee %q (%v), want %q", again.Assignee, err, sc.want)
				}
			})
		}
	})
}
