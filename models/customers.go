package models

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"
)

// CustomerInput creates a customer; CustomerPatch changes one.
type CustomerInput struct {
	Name     string   `json:"name"`
	Slug     string   `json:"slug"`
	TimeZone string   `json:"time_zone"`
	Contacts []string `json:"contacts"`
}

type CustomerPatch struct {
	Name     Opt[string]   `json:"name"`
	Slug     Opt[string]   `json:"slug"`
	TimeZone Opt[string]   `json:"time_zone"`
	Contacts Opt[[]string] `json:"contacts"`
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

func validateCustomer(c *Customer) error {
	f := fieldErrors{}
	f.required("name", c.Name, 200)
	if !slugRE.MatchString(c.Slug) || len(c.Slug) > 100 {
		f.add("slug", "must be lower-case letters, digits and single dashes, like acme-corp")
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil || c.TimeZone == "" || c.TimeZone == "Local" {
		f.add("time_zone", "must be an IANA time zone such as Europe/Berlin or UTC")
	}
	for _, e := range c.Contacts {
		if !validEmail(e) {
			f.add("contacts", fmt.Sprintf("%q is not an email address", e))
		}
	}
	return f.err()
}

func validEmail(s string) bool {
	if TextProblem(s, false) != "" {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

func normaliseEmails(in []string) []string {
	out := make([]string, 0, len(in))
	for _, e := range in {
		out = append(out, strings.ToLower(strings.TrimSpace(e)))
	}
	return out
}

// ListCustomers lists the customers the actor can see, by name.
func (s *Store) ListCustomers(ctx context.Context, actor *User) ([]Customer, error) {
	q := s.db.R.WithContext(ctx).Order("name, id")
	if actor.IsCustomer() {
		q = q.Where("id = ?", *actor.CustomerID)
	}
	var cs []Customer
	if err := q.Find(&cs).Error; err != nil {
		return nil, fmt.Errorf("list customers: %w", err)
	}
	return cs, nil
}

// GetCustomer loads one customer the actor can see.
func (s *Store) GetCustomer(ctx context.Context, actor *User, id uint) (*Customer, error) {
	if !actor.CanSeeCustomer(id) {
		return nil, fmt.Errorf("customer %d: %w", id, ErrNotFound)
	}
	var c Customer
	if err := s.db.R.WithContext(ctx).First(&c, id).Error; err != nil {
		return nil, notFound(err, "customer", id)
	}
	return &c, nil
}

// CustomerBySlug loads a customer by its slug, for commands.
func (s *Store) CustomerBySlug(ctx context.Context, slug string) (*Customer, error) {
	var c Customer
	if err := s.db.R.WithContext(ctx).Where("slug = ?", slug).First(&c).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, fmt.Errorf("customer %q: %w", slug, ErrNotFound)
		}
		return nil, fmt.Errorf("load customer %q: %w", slug, err)
	}
	return &c, nil
}

// CreateCustomer adds a customer as the operator (commands, the demo).
func (s *Store) CreateCustomer(ctx context.Context, in CustomerInput) (*Customer, error) {
	return s.CreateCustomerAs(ctx, nil, in)
}

// CreateCustomerAs adds a customer for an actor who may manage customers
// (nil: the operator), recording it in the audit trail; a taken slug is a
// conflict.
func (s *Store) CreateCustomerAs(ctx context.Context, actor *User, in CustomerInput) (*Customer, error) {
	if err := mayManageCustomers(actor); err != nil {
		return nil, err
	}
	c := Customer{Name: strings.TrimSpace(in.Name), Slug: in.Slug, TimeZone: in.TimeZone, Contacts: normaliseEmails(in.Contacts)}
	if c.TimeZone == "" {
		c.TimeZone = "UTC"
	}
	if err := validateCustomer(&c); err != nil {
		return nil, err
	}
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&c).Error; err != nil {
			return conflictOnDuplicate(err, "slug", fmt.Sprintf("slug %q is already taken", c.Slug))
		}
		return newAudit(tx, actor, s.Now()).record(EntityCustomer, c.ID, 0, ActionCreated, diff(nil, customerFields(&c)), "")
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// UpdateCustomer applies a patch as the operator.
func (s *Store) UpdateCustomer(ctx context.Context, id uint, p CustomerPatch) (*Customer, error) {
	return s.UpdateCustomerAs(ctx, nil, id, p)
}

// UpdateCustomerAs applies a patch for an actor who may manage customers
// (nil: the operator), recording what changed in the audit trail.
func (s *Store) UpdateCustomerAs(ctx context.Context, actor *User, id uint, p CustomerPatch) (*Customer, error) {
	if err := mayManageCustomers(actor); err != nil {
		return nil, err
	}
	var c Customer
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&c, id).Error; err != nil {
			return notFound(err, "customer", id)
		}
		before := customerFields(&c)
		f := fieldErrors{}
		setString(&c.Name, p.Name, "name", f)
		setString(&c.Slug, p.Slug, "slug", f)
		setString(&c.TimeZone, p.TimeZone, "time_zone", f)
		if p.Contacts.Set {
			c.Contacts = normaliseEmails(p.Contacts.V)
		}
		if err := f.err(); err != nil {
			return err
		}
		c.Name = strings.TrimSpace(c.Name)
		if err := validateCustomer(&c); err != nil {
			return err
		}
		ch := diff(before, customerFields(&c))
		if len(ch) == 0 {
			return nil
		}
		if err := conflictOnDuplicate(tx.Save(&c).Error, "slug", fmt.Sprintf("slug %q is already taken", c.Slug)); err != nil {
			return err
		}
		return newAudit(tx, actor, s.Now()).record(EntityCustomer, c.ID, 0, ActionUpdated, ch, "")
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// mayManageCustomers is the policy's answer for a staff member changing
// customers and their SLOs; a nil actor is the operator.
func mayManageCustomers(actor *User) error {
	if actor != nil && !actor.Can(PermManageCustomers) {
		return fmt.Errorf("manage customers: %w", ErrForbidden)
	}
	return nil
}

// customerFields are a customer's values as its audit events write them.
func customerFields(c *Customer) map[string]string {
	return map[string]string{"name": c.Name, "slug": c.Slug, "time_zone": c.TimeZone, "contacts": strings.Join(c.Contacts, ", ")}
}

// DeleteCustomer removes a customer that nothing refers to any more; a
// customer with postmortems, items or users is refused, never cascaded.
func (s *Store) DeleteCustomer(ctx context.Context, id uint) error {
	return s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var c Customer
		if err := tx.First(&c, id).Error; err != nil {
			return notFound(err, "customer", id)
		}
		for _, ref := range []struct{ table, what string }{
			{"postmortem_customers", "postmortems"}, {"action_items", "action items"}, {"users", "users"},
		} {
			var n int64
			if err := tx.Table(ref.table).Where("customer_id = ?", id).Count(&n).Error; err != nil {
				return fmt.Errorf("count %s of customer %d: %w", ref.what, id, err)
			}
			if n > 0 {
				return &ConflictError{Message: fmt.Sprintf("customer %q still has %d %s; remove them first", c.Slug, n, ref.what)}
			}
		}
		if err := tx.Where("customer_id = ?", id).Delete(&SLO{}).Error; err != nil {
			return fmt.Errorf("delete SLOs of customer %d: %w", id, err)
		}
		return tx.Delete(&c).Error
	})
}

// setString applies a patch field that may not be null.
func setString(dst *string, o Opt[string], field string, f fieldErrors) {
	if !o.Set {
		return
	}
	if o.Null {
		f.add(field, "cannot be null")
		return
	}
	*dst = o.V
}
