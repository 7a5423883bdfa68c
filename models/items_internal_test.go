package models

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"errors"
	"path/filepath"
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

// Concurrent updates of one item each read what the one before wrote:
// every status event starts from the status the previous one ended at, and
// the item ends at the last event's status. A customer's update after the
// postmortem stopped being joint is refused by the policy as if the item
// did not exist.
func TestItemUpdatesSerialiseAndAuthoriseInTheirTransaction(t *testing.T) {
	ctx := context.Background()
	db, err := database.Open(database.OpenConfig{SQLitePath: filepath.Join(t.TempDir(), "amends.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := database.Migrate(ctx, db); err != nil {
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

	statuses := []string{StatusInProgress, StatusBlocked, StatusOpen}
	var wg sync.WaitGroup
	errs := make(chan error, 30)
	for i := range 30 {
		actor := sre
		if i%2 == 1 {
			actor = cust
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.UpdateItem(ctx, actor, item.ID, ItemPatch{Status: Some(statuses[i%len(statuses)])})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		mustDo(err)
	}
	events, err := s.ItemHistory(ctx, sre, item.ID)
	mustDo(err)
	last := StatusOpen
	for _, e := range events {
		if e.Field != "status" {
			continue
		}
		if e.OldValue != last {
			t.Errorf("event %d moves the status from %q, but it was %q", e.ID, e.OldValue, last)
		}
		last = e.NewValue
	}
	got, err := s.GetItem(ctx, sre, item.ID)
	mustDo(err)
	if got.Status != last {
		t.Errorf("item status %q, last event says %q", got.Status, last)
	}

	_, err = s.UpdatePostmortem(ctx, sre, pm.ID, PostmortemPatch{Visibility: Some(VisibilityShared)})
	mustDo(err)
	if _, err := s.UpdateItem(ctx, cust, item.ID, ItemPatch{Status: Some(StatusDone)}); !errors.Is(err, ErrNotFound) {
		t.Errorf("customer update of an item of an unpublished shared postmortem: %v, want ErrNotFound", err)
	}
	got, err = s.GetItem(ctx, sre, item.ID)
	mustDo(err)
	if got.Status != last {
		t.Errorf("refused update changed the status to %q", got.Status)
	}
}
