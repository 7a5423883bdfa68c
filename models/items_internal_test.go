package models

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm/schema"
)

// saveItem writes the columns named by the changed audit fields, so every
// audit field must be a column: an update of one that is not would be lost.
func TestItemAuditFieldsAreColumns(t *testing.T) {
	s, err := schema.Parse(&ActionItem{}, &sync.Map{}, schema.NamingStrategy{})
	if err != nil {
		t.Fatal(err)
	}
	for field := range (&ActionItem{}).auditFields() {
		if s.LookUpField(field) == nil {
			t.Errorf("audit field %q is not a column of action_items", field)
		}
	}
}

// An update planned before another change to the item, or to what the
// access rules read of its postmortem, is not written over it: the
// conditional write reports it did nothing, and UpdateItem plans again.
func TestItemPlanIsWrittenOnlyIfNothingChanged(t *testing.T) {
	ctx := context.Background()
	db, err := Open(OpenConfig{SQLitePath: filepath.Join(t.TempDir(), "amends.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	s := NewStore(db)
	mustDo := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	acme, err := s.CreateCustomer(ctx, CustomerInput{Name: "Acme", Slug: "acme", TimeZone: "UTC"})
	mustDo(err)
	sre, err := s.CreateUser(ctx, UserInput{Email: "sre@provider.example", Name: "Sre", Role: RoleSRE, Password: "a long password"})
	mustDo(err)
	cust, err := s.CreateUser(ctx, UserInput{Email: "ops@acme.example", Name: "Ops", Role: RoleCustomer, CustomerSlug: "acme", Password: "a long password"})
	mustDo(err)
	pm, err := s.CreatePostmortem(ctx, sre, PostmortemInput{Title: "Outage", Visibility: VisibilityJoint, CustomerIDs: []uint{acme.ID}, Severity: "SEV2", Status: "draft"})
	mustDo(err)
	item, err := s.CreateItem(ctx, sre, pm.ID, ItemInput{Title: "Fix", Owner: OwnerCustomer, CustomerID: &acme.ID, Type: "repair", Priority: "P1", Status: "open"})
	mustDo(err)

	tests := []struct {
		name     string
		actor    *User
		status   string
		meantime func()
		wantErr  error
	}{
		{"the item's status changed", sre, StatusInProgress, func() {
			_, err := s.UpdateItem(ctx, sre, item.ID, ItemPatch{Status: Some(StatusBlocked)})
			mustDo(err)
		}, nil},
		{"the postmortem stopped being joint", cust, StatusBlocked, func() {
			_, err := s.UpdatePostmortem(ctx, sre, pm.ID, PostmortemPatch{Visibility: Some(VisibilityShared)})
			mustDo(err)
		}, ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			patch := ItemPatch{Status: Some(tc.status)}
			plan, err := s.planItemUpdate(db.R, tc.actor, item.ID, patch)
			mustDo(err)
			if len(plan.changes) == 0 {
				t.Fatal("the plan changes nothing")
			}
			tc.meantime()
			applied, err := s.writeItemPlan(db.W, tc.actor, plan, true)
			if err != nil || applied {
				t.Fatalf("conditional write over a change: applied %v, err %v", applied, err)
			}
			got, err := s.UpdateItem(ctx, tc.actor, item.ID, patch)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("UpdateItem after the change: %v, want %v", err, tc.wantErr)
			}
			if err == nil && got.Status != tc.status {
				t.Errorf("status %q after the update", got.Status)
			}
		})
	}
	events, err := s.ItemHistory(ctx, sre, item.ID)
	mustDo(err)
	var statuses []string
	for _, e := range events {
		if e.Field == "status" {
			statuses = append(statuses, e.OldValue+">"+e.NewValue)
		}
	}
	if want := "open>blocked blocked>in_progress"; strings.Join(statuses, " ") != want {
		t.Errorf("status history %q, want %q", statuses, want)
	}
}

// getItemAndPostmortem scans itemColumns by hand: a column added to
// ActionItem and not to them would read as its zero value.
func TestItemColumnsAreEveryColumn(t *testing.T) {
	s, err := schema.Parse(&ActionItem{}, &sync.Map{}, schema.NamingStrategy{})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range s.Fields {
		if f.DBName != "" {
			want = append(want, "a."+f.DBName)
		}
	}
	got := strings.Split(itemColumns, ", ")
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("itemColumns:\n got %v\nwant %v", got, want)
	}
	if n := len(itemFields(&ActionItem{})); n != len(want) {
		t.Errorf("itemFields has %d destinations for %d columns", n, len(want))
	}
}
