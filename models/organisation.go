package models

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// EntityCustomer is the audit entity type of changes to a customer itself.
// Customer users never read these events: customerEventFields has no entry.
const EntityCustomer = "customer"

// IsCustomerAdmin reports whether the user administers its organisation.
func (u *User) IsCustomerAdmin() bool { return u.IsCustomer() && u.CustomerAdmin }

// errNotCustomerAdmin hides organisation management from everyone else
// exactly as if it did not exist.
func errNotCustomerAdmin(what string) error {
	return fmt.Errorf("%s: %w", what, ErrNotFound)
}

// Colleagues lists the users of the actor's organisation, by name.
func (s *Store) Colleagues(ctx context.Context, actor *User) ([]User, error) {
	if !actor.IsCustomer() {
		return nil, errNotCustomerAdmin("colleagues")
	}
	var out []User
	if err := s.db.R.WithContext(ctx).Where("customer_id = ?", *actor.CustomerID).Order("name, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list users of customer %d: %w", *actor.CustomerID, err)
	}
	return out, nil
}

// SetContacts replaces the review contacts of the customer admin's own
// organisation and records the change in the audit trail.
func (s *Store) SetContacts(ctx context.Context, actor *User, contacts []string) (*Customer, error) {
	if !actor.IsCustomerAdmin() {
		return nil, errNotCustomerAdmin("contacts")
	}
	contacts = cleanContacts(contacts)
	f := fieldErrors{}
	for _, e := range contacts {
		if !validEmail(e) {
			f.add("contacts", fmt.Sprintf("%q is not an email address", e))
		}
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	var c Customer
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&c, *actor.CustomerID).Error; err != nil {
			return notFound(err, "customer", *actor.CustomerID)
		}
		before := strings.Join(c.Contacts, ", ")
		c.Contacts = contacts
		if err := tx.Save(&c).Error; err != nil {
			return fmt.Errorf("save contacts of customer %d: %w", c.ID, err)
		}
		ch := diff(map[string]string{"contacts": before}, map[string]string{"contacts": strings.Join(contacts, ", ")})
		if len(ch) == 0 {
			return nil
		}
		return newAudit(tx, actor, s.Now()).record(EntityCustomer, c.ID, 0, ActionUpdated, ch, "")
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// cleanContacts lower-cases, drops blanks and duplicates, keeping order.
func cleanContacts(in []string) []string {
	out := []string{}
	for _, e := range normaliseEmails(in) {
		if e != "" && !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}
