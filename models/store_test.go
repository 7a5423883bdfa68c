package models_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

var ctx = context.Background()

func TestMigrateIsIdempotentAndChecked(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		if err := database.Migrate(ctx, db); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		if err := database.CheckSchema(ctx, db); err != nil {
			t.Fatalf("check schema: %v", err)
		}
		var applied []int
		db.R.Table("schema_migrations").Order("version").Pluck("version", &applied)
		if fmt.Sprint(applied) != fmt.Sprint(database.MigrationVersions()) {
			t.Fatalf("applied migrations %v, want %v", applied, database.MigrationVersions())
		}
		for _, idx := range []string{"idx_items_pm", "idx_items_customer", "idx_items_assignee", "idx_items_open_due", "idx_items_open_pm", "idx_items_due", "idx_audit_entity"} {
			table := "action_items"
			if idx == "idx_audit_entity" {
				table = "audit_events"
			}
			if !db.R.Migrator().HasIndex(table, idx) {
				t.Errorf("index %s missing on %s", idx, table)
			}
		}
	})
}

func TestCheckSchemaRefusesEmptyDatabase(t *testing.T) {
	db, err := database.Open(database.OpenConfig{SQLitePath: t.TempDir() + "/empty.db"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := database.CheckSchema(ctx, db); err == nil {
		t.Fatal("CheckSchema accepted a database without schema")
	}
}

func TestVisibilityPolicy(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		s := f.Store
		scenarios := []struct {
			name    string
			user    *models.User
			visible []*models.Postmortem
			hidden  []*models.Postmortem
		}{
			{"admin sees all", f.Admin, []*models.Postmortem{f.Internal, f.SharedDraftA, f.SharedA, f.JointA, f.SharedB, f.SharedAB}, nil},
			{"viewer sees all", f.Viewer, []*models.Postmortem{f.Internal, f.SharedDraftA, f.JointA, f.SharedB}, nil},
			{"customer A", f.CustA, []*models.Postmortem{f.SharedA, f.JointA, f.SharedAB}, []*models.Postmortem{f.Internal, f.SharedDraftA, f.SharedB}},
			{"customer B", f.CustB, []*models.Postmortem{f.SharedB, f.SharedAB}, []*models.Postmortem{f.Internal, f.SharedDraftA, f.SharedA, f.JointA}},
		}
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				for _, pm := range sc.visible {
					if _, err := s.GetPostmortem(ctx, sc.user, pm.ID); err != nil {
						t.Errorf("%q: want visible, got %v", pm.Title, err)
					}
				}
				for _, pm := range sc.hidden {
					if _, err := s.GetPostmortem(ctx, sc.user, pm.ID); !errors.Is(err, models.ErrNotFound) {
						t.Errorf("%q: want ErrNotFound, got %v", pm.Title, err)
					}
				}
				list, _, err := s.ListPostmortems(ctx, sc.user, models.PostmortemFilter{}, models.Page{})
				if err != nil {
					t.Fatal(err)
				}
				if sc.hidden != nil && len(list) != len(sc.visible) {
					t.Errorf("list has %d postmortems, want %d", len(list), len(sc.visible))
				}
			})
		}
	})
}

func TestCustomerSeesOnlyItsItems(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		items, _, err := f.Store.ListItems(ctx, f.CustA, models.ItemFilter{}, models.Page{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[uint]bool{}
		for _, it := range items {
			got[it.ID] = true
		}
		want := []*models.ActionItem{f.ProviderItemA, f.CustomerItemA, f.JointItemA}
		hidden := []*models.ActionItem{f.InternalItemA, f.ItemB, f.CustomerItemBOnAB, f.InternalPMItem}
		for _, it := range want {
			if !got[it.ID] {
				t.Errorf("customer A does not see %q", it.Title)
			}
			if _, err := f.Store.GetItem(ctx, f.CustA, it.ID); err != nil {
				t.Errorf("get %q: %v", it.Title, err)
			}
		}
		for _, it := range hidden {
			if got[it.ID] {
				t.Errorf("customer A sees %q", it.Title)
			}
			if _, err := f.Store.GetItem(ctx, f.CustA, it.ID); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("get %q: want ErrNotFound, got %v", it.Title, err)
			}
		}
		if len(items) != len(want) {
			t.Errorf("customer A sees %d items, want %d", len(items), len(want))
		}
	})
}

func TestCustomerEditsOnlyOwnItemsAndFields(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		s := f.Store
		status := models.ItemPatch{Status: models.Some(models.StatusInProgress)}
		if _, err := s.UpdateItem(ctx, f.CustA, f.CustomerItemA.ID, status); err != nil {
			t.Fatalf("customer updating its own item: %v", err)
		}
		if _, err := s.UpdateItem(ctx, f.CustA, f.ProviderItemA.ID, status); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("customer updating a provider item: want ErrNotFound, got %v", err)
		}
		if _, err := s.UpdateItem(ctx, f.Viewer, f.ProviderItemA.ID, status); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("viewer updating an item: want ErrForbidden, got %v", err)
		}
		_, err := s.UpdateItem(ctx, f.CustA, f.CustomerItemA.ID, models.ItemPatch{Priority: models.Some("P0"), CustomerVisible: models.Some(false)})
		var verr *models.ValidationError
		if !errors.As(err, &verr) || verr.Fields["priority"] == "" || verr.Fields["customer_visible"] == "" {
			t.Errorf("customer changing priority and visibility: want both fields refused, got %v", err)
		}
		it, err := s.CreateItem(ctx, f.CustA, f.JointA.ID, models.ItemInput{Title: "Our own follow-up", Type: "process", Priority: "P2", Owner: models.OwnerProvider})
		if err != nil {
			t.Fatalf("customer adding to a joint postmortem: %v", err)
		}
		if it.Owner != models.OwnerCustomer || it.CustomerID == nil || *it.CustomerID != f.A.ID {
			t.Errorf("customer's new item is owned by %s/%v, want customer A", it.Owner, it.CustomerID)
		}
		if _, err := s.CreateItem(ctx, f.CustA, f.SharedA.ID, models.ItemInput{Title: "x", Type: "process", Priority: "P2"}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("customer adding to a shared postmortem: want ErrNotFound, got %v", err)
		}
	})
}
