package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// Permission is what a route needs. The policy below is the one place that
// says which role holds which permission and which objects a customer user
// may see; routes and store queries both go through it.
type Permission int

const (
	// PermRead reads postmortems, items and customers (customers: scoped).
	PermRead Permission = iota + 1
	// PermComment comments on visible items (customers: their own items).
	PermComment
	// PermWriteItems changes action items (customers: their own items).
	PermWriteItems
	// PermWritePostmortems creates and edits postmortems and impacts.
	PermWritePostmortems
	// PermManageCustomers creates and edits customers and their SLOs.
	PermManageCustomers
	// PermAdmin deletes customers and manages users.
	PermAdmin
	// PermStaff opens the staff pages; customer users have the portal.
	PermStaff
	// PermPortal opens the customer portal.
	PermPortal
)

var rolePermissions = map[string][]Permission{
	RoleAdmin:    {PermRead, PermComment, PermWriteItems, PermWritePostmortems, PermManageCustomers, PermAdmin, PermStaff},
	RoleSRE:      {PermRead, PermComment, PermWriteItems, PermWritePostmortems, PermManageCustomers, PermStaff},
	RoleViewer:   {PermRead, PermStaff},
	RoleCustomer: {PermRead, PermComment, PermWriteItems, PermPortal},
}

// Can reports whether the user's role holds the permission.
func (u *User) Can(p Permission) bool {
	if u == nil {
		return false
	}
	for _, have := range rolePermissions[u.Role] {
		if have == p {
			return true
		}
	}
	return false
}

// customerItemFields are the action item fields a customer user may change on
// items its organisation owns.
var customerItemFields = map[string]bool{
	"title": true, "description": true, "assignee": true, "status": true, "due_date": true,
}

// CanSeePostmortem is the object rule for postmortems: staff see all; a
// customer sees a shared postmortem naming it once published, and a joint one
// naming it from the start.
func (u *User) CanSeePostmortem(pm *Postmortem) bool {
	if !u.IsCustomer() {
		return true
	}
	return namesCustomer(pm, *u.CustomerID) && pm.openToItsCustomers()
}

// openToItsCustomers says whether the customers a postmortem names read it
// at all: a joint one from the start, a shared or public one once
// published.
func (pm *Postmortem) openToItsCustomers() bool {
	switch pm.Visibility {
	case VisibilityJoint:
		return true
	case VisibilityShared, VisibilityPublic:
		return pm.Status == PMPublished
	}
	return false
}

// The public is anyone, signed in or not, reading the public page
// (/status). It reads less than any customer: a published public
// postmortem's title, dates and customer-facing fields, and, as promises,
// the customer-visible items we own, with their status. Never a customer's
// name, item or section, a comment, an assignee or anything internal; the
// public views (PublicPostmortem, PublicPromise) have no field for them.

// OpenToThePublic is the object rule for postmortems on the public page.
func (pm *Postmortem) OpenToThePublic() bool {
	return pm.Visibility == VisibilityPublic && pm.Status == PMPublished && !pm.DeletedAt.Valid
}

// PublicPromise is the object rule for items on the public page, for an
// item of a postmortem open to the public: one we own and show customers,
// not archived.
func (it *ActionItem) PublicPromise() bool {
	return it.CustomerVisible && it.Owner == OwnerProvider && !it.Archived()
}

// CanSeeItem is the object rule for items of a postmortem the user can see.
func (u *User) CanSeeItem(it *ActionItem) bool {
	if !u.IsCustomer() {
		return true
	}
	if !it.CustomerVisible || it.Archived() {
		return false
	}
	return it.Owner == OwnerProvider || ownedBy(it, *u.CustomerID)
}

// CanEditItem says whether the user may change the item at all.
func (u *User) CanEditItem(it *ActionItem) bool {
	if !u.Can(PermWriteItems) {
		return false
	}
	return !u.IsCustomer() || ownedBy(it, *u.CustomerID)
}

// CanAddItemTo says whether the user may add items to the postmortem:
// staff writers always, customers only on joint postmortems naming them.
func (u *User) CanAddItemTo(pm *Postmortem) bool {
	if !u.IsCustomer() {
		return u.Can(PermWriteItems)
	}
	return pm.Visibility == VisibilityJoint && namesCustomer(pm, *u.CustomerID)
}

// CanSeeCustomer: staff see every customer, a customer user its own.
func (u *User) CanSeeCustomer(id uint) bool {
	return !u.IsCustomer() || *u.CustomerID == id
}

// CanRemoveColleague: a customer admin removes another user of its own
// organisation, never itself.
func (u *User) CanRemoveColleague(target *User) bool {
	return u.IsCustomerAdmin() && target.IsCustomer() && *target.CustomerID == *u.CustomerID && target.ID != u.ID
}

func ownedBy(it *ActionItem, customerID uint) bool {
	return it.Owner == OwnerCustomer && it.CustomerID != nil && *it.CustomerID == customerID
}

func namesCustomer(pm *Postmortem, customerID uint) bool {
	for _, c := range pm.Customers {
		if c.ID == customerID {
			return true
		}
	}
	return false
}

// scopePostmortems restricts a postmortems query to what the user may see.
// It mirrors CanSeePostmortem in SQL.
func (u *User) scopePostmortems(q *gorm.DB) *gorm.DB {
	if !u.IsCustomer() {
		return q
	}
	return q.Where("postmortems.id IN (SELECT postmortem_id FROM postmortem_customers WHERE customer_id = ?)", *u.CustomerID).
		Where("(postmortems.visibility = ? OR (postmortems.visibility IN ? AND postmortems.status = ?))",
			VisibilityJoint, []string{VisibilityShared, VisibilityPublic}, PMPublished)
}

// scopeItems restricts an action items query to what the user may see. It
// mirrors CanSeePostmortem and CanSeeItem in SQL.
func (u *User) scopeItems(q *gorm.DB) *gorm.DB {
	if !u.IsCustomer() {
		return q
	}
	visiblePMs := u.scopePostmortems(q.Session(&gorm.Session{NewDB: true}).Table("postmortems").
		Select("postmortems.id").Where("postmortems.deleted_at IS NULL"))
	return q.Where("action_items.customer_visible = ?", true).
		Where("(action_items.owner = ? OR action_items.customer_id = ?)", OwnerProvider, *u.CustomerID).
		Where("action_items.postmortem_id IN (?)", visiblePMs)
}

// searchedColumns are the postmortem columns a text search reads: for a
// customer user only what it can read, so that a search is no oracle for
// the internal fields.
func searchedColumns(u *User) []string {
	if u.IsCustomer() {
		return []string{"postmortems.title", "postmortems.external_summary", "postmortems.external_impact",
			"postmortems.external_cause", "postmortems.external_next_steps"}
	}
	return []string{"postmortems.title", "postmortems.summary"}
}

// scopeCustomerFilter answers a customer user's filter by another
// customer exactly as a filter by one that does not exist: with nothing,
// so that no answer tells which other customers a postmortem names.
func (u *User) scopeCustomerFilter(q *gorm.DB, customerID uint) *gorm.DB {
	if u.IsCustomer() && *u.CustomerID != customerID {
		return q.Where("1 = 0")
	}
	return q
}

// validateFor refuses, whatever their value, the filters on fields a
// customer user cannot read: the assignee of our items (it reads the
// assignees of its own items only, and a filter would confirm who works
// on what of ours).
func (f ItemFilter) validateFor(u *User) error {
	if u.IsCustomer() && f.Assignee != "" {
		return &ValidationError{Fields: map[string]string{"assignee": "is not a filter customer users can use"}}
	}
	return nil
}

// validateItemSort refuses a customer user a sort by a field it cannot
// read: the cursor of such a page carries the field's value.
func validateItemSort(u *User, sort string) error {
	if u.IsCustomer() && strings.TrimPrefix(sort, "-") == "created_at" {
		return &ValidationError{Fields: map[string]string{"sort": "created_at is not a sort customer users can use"}}
	}
	return nil
}

// customerEventFields are the audit fields a customer user may read in a
// history, per entity; other changes (internal text, assignees, flags) stay
// internal.
var customerEventFields = map[string]map[string]bool{
	EntityActionItem: {"": true, "title": true, "description": true, "priority": true, "status": true, "due_date": true},
	EntityPostmortem: {"": true, "title": true, "status": true, "severity": true, "published_at": true,
		"started_at": true, "detected_at": true, "resolved_at": true, "external_summary": true,
		"external_impact": true, "external_cause": true, "external_next_steps": true},
}

// customerValues keeps the fields of an object (as auditFields writes
// them) that a customer may read in its history, leaving out empty ones.
func customerValues(entity string, fields map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range fields {
		if k != "" && v != "" && customerEventFields[entity][k] {
			out[k] = v
		}
	}
	return out
}

// forCustomer keeps the events a customer user may read, naming people of
// its own organisation and showing everyone else as "provider".
func (s *Store) forCustomer(ctx context.Context, u *User, events []AuditEvent) ([]AuditEvent, error) {
	if !u.IsCustomer() {
		return events, nil
	}
	var own []User
	if err := s.db.R.WithContext(ctx).Where("customer_id = ?", *u.CustomerID).Find(&own).Error; err != nil {
		return nil, fmt.Errorf("load users of customer %d: %w", *u.CustomerID, err)
	}
	names := map[uint]string{}
	for _, o := range own {
		names[o.ID] = o.Name
	}
	out := events[:0]
	for _, e := range events {
		if e.Action == ActionCommented || e.Action == "override" || e.Action == ActionShareWarning || !customerEventFields[e.EntityType][e.Field] {
			continue
		}
		e.Actor = "provider"
		if e.ActorID != nil && names[*e.ActorID] != "" {
			e.Actor = names[*e.ActorID]
		}
		e.Reason = ""
		out = append(out, e)
	}
	return out, nil
}
