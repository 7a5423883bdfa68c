package models

import (
	"reflect"
	"sync"
	"testing"

	"gorm.io/gorm/schema"
)

// TestItemFieldsAreEveryColumn: items are read through itemFields alone,
// so a column of ActionItem missing there would read as its zero value
// everywhere; and each entry must fill the field of its own column.
func TestItemFieldsAreEveryColumn(t *testing.T) {
	s, err := schema.Parse(&ActionItem{}, &sync.Map{}, schema.NamingStrategy{})
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	var it ActionItem
	for _, f := range itemFields {
		if listed[f.column] {
			t.Errorf("column %s listed twice", f.column)
		}
		listed[f.column] = true
		sf := s.LookUpField(f.column)
		if sf == nil {
			t.Errorf("itemFields lists %s, which is no column of action_items", f.column)
			continue
		}
		want := reflect.ValueOf(&it).Elem().FieldByIndex(sf.StructField.Index).Addr().Interface()
		if got := f.dest(&it); got != want {
			t.Errorf("column %s fills another field than %s", f.column, sf.Name)
		}
	}
	for _, sf := range s.Fields {
		if sf.DBName != "" && !listed[sf.DBName] {
			t.Errorf("column %s (field %s) is missing from itemFields", sf.DBName, sf.Name)
		}
	}
}

// TestCustomerItemReadsOnlyWhatACustomerSees: a customer's reads leave
// out the GitHub issue as last seen and who created the item.
func TestCustomerItemReadsOnlyWhatACustomerSees(t *testing.T) {
	customer := &User{Role: RoleCustomer}
	for _, f := range itemReadFor(customer) {
		switch f.column {
		case "github_repo", "github_number", "github_state_reason", "github_title", "github_assignees",
			"github_gone", "github_moved_to", "github_synced_at", "github_updated_at", "created_by_id":
			t.Errorf("a customer's read takes %s", f.column)
		}
	}
	if got, want := len(itemReadFor(&User{Role: RoleAdmin})), len(itemFields); got != want {
		t.Errorf("staff read %d columns, want all %d", got, want)
	}
}
