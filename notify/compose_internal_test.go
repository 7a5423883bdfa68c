package notify

import (
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
)

// TestNoteRechecksWhatACustomerMaySee: a pass routes items first and reads
// them back later; an item that became internal, or another customer's, in
// between stays out of the contact's note.
func TestNoteRechecksWhatACustomerMaySee(t *testing.T) {
	now := time.Date(2027, 1, 5, 10, 0, 0, 0, time.UTC)
	acme, bravo := uint(1), uint(2)
	due := models.DateOf(now).AddDays(-3)
	item := func(id uint, title string) models.ActionItem {
		return models.ActionItem{ID: id, PostmortemID: 10, Title: title, Owner: models.OwnerCustomer, CustomerID: &acme,
			Priority: "P1", Status: models.StatusOpen, DueDate: &due, CustomerVisible: true}
	}
	data := &models.ReminderData{
		Postmortems: map[uint]*models.Postmortem{10: {ID: 10, Title: "Outage", Visibility: models.VisibilityShared,
			Status: models.PMPublished, Customers: []models.Customer{{ID: acme}, {ID: bravo}}}},
		Customers: []models.Customer{{ID: acme, Name: "Acme", Contacts: []string{"ops@acme.example"}},
			{ID: bravo, Name: "Bravo", Contacts: []string{"ops@bravo.example"}}},
	}
	c := newComposer(DefaultPolicy(), nil, data, now)
	routed := []models.ActionItem{item(1, "still Acme's"), item(2, "made internal"), item(3, "moved to Bravo")}
	c.add(routed)
	rs := c.recipients()
	if len(rs) != 1 || rs[0].email != "ops@acme.example" || len(rs[0].items) != 3 {
		t.Fatalf("routed to %+v", rs)
	}
	now1, now2, now3 := routed[0], routed[1], routed[2]
	now2.CustomerVisible = false
	now3.CustomerID = &bravo
	n, ok := c.note(rs[0], map[uint]*models.ActionItem{1: &now1, 2: &now2, 3: &now3})
	if !ok || len(n.Overdue) != 1 || n.Overdue[0].Item.Title != "still Acme's" {
		t.Errorf("Acme's note lists %+v", n.Overdue)
	}
}
