// Package demo fills an empty database with a believable demo: three
// customers with SLOs, eight postmortems across internal, shared, joint and public,
// and action items in every status and priority, written through the store
// at their own past times so that the history and reports look real.
package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/amendsdev/amends/models"
)

// ErrNotEmpty says the database already holds data; the demo never mixes in.
var ErrNotEmpty = errors.New("database is not empty")

// Credentials are what the demo prints so that people can sign in.
type Credentials struct {
	AdminEmail, AdminPassword       string
	CustomerEmail, CustomerPassword string
	AdminToken                      string
}

// ErrNotDemo says the database holds data that is not the demo (its
// demo users are gone or disabled): the demo gives out no sign-in there.
var ErrNotDemo = errors.New("database holds data that is not the demo")

// The demo's two users whose sign-in is printed.
const (
	AdminEmail    = "lead@amends.example"
	CustomerEmail = "ops@northwind.example"
)

// Reissue gives a sign-in to a database the demo filled earlier. Only
// hashes of the first passwords were kept, so it sets new passwords for
// the demo's admin and customer user (ending their sessions) and makes a
// new admin API token; the data is left as it is.
func Reissue(ctx context.Context, store *models.Store) (*Credentials, error) {
	admin, err := demoUser(ctx, store, AdminEmail, models.RoleAdmin)
	if err != nil {
		return nil, err
	}
	cust, err := demoUser(ctx, store, CustomerEmail, models.RoleCustomer)
	if err != nil {
		return nil, err
	}
	creds := &Credentials{AdminEmail: admin.Email, AdminPassword: models.RandomSecret(12),
		CustomerEmail: cust.Email, CustomerPassword: models.RandomSecret(12)}
	if err := store.SetPassword(ctx, admin.ID, creds.AdminPassword); err != nil {
		return nil, err
	}
	if err := store.SetPassword(ctx, cust.ID, creds.CustomerPassword); err != nil {
		return nil, err
	}
	if creds.AdminToken, err = store.CreateToken(ctx, admin.ID, "demo"); err != nil {
		return nil, err
	}
	return creds, nil
}

// demoUser is a demo user still in place: present, enabled, in its role.
func demoUser(ctx context.Context, store *models.Store, email, role string) (*models.User, error) {
	u, err := store.UserByEmail(ctx, email)
	if errors.Is(err, models.ErrNotFound) {
		return nil, ErrNotDemo
	}
	if err != nil {
		return nil, err
	}
	if u.Disabled() || u.Role != role {
		return nil, ErrNotDemo
	}
	return u, nil
}

// Seed writes the demo relative to the store's current time.
func Seed(ctx context.Context, store *models.Store) (*Credentials, error) {
	empty, err := store.IsEmpty(ctx)
	if err != nil {
		return nil, err
	}
	if !empty {
		return nil, ErrNotEmpty
	}
	now := store.Now()
	// A store of its own whose clock moves to each event's time.
	s := models.NewStore(store.DB())
	d := &seeder{ctx: ctx, s: s, now: now, customers: map[string]*models.Customer{}, slos: map[string]*models.SLO{}}
	creds, err := d.people()
	if err != nil {
		return nil, err
	}
	if err := d.organisations(creds); err != nil {
		return nil, err
	}
	if err := d.incidents(); err != nil {
		return nil, err
	}
	return creds, nil
}

type seeder struct {
	ctx       context.Context
	s         *models.Store
	now       time.Time
	admin     *models.User
	staff     map[string]*models.User
	customers map[string]*models.Customer
	slos      map[string]*models.SLO
}

// at moves the seeding clock to days before now (plus hours).
func (d *seeder) at(daysAgo int, hour int) time.Time {
	t := d.now.AddDate(0, 0, -daysAgo).Truncate(24 * time.Hour).Add(time.Duration(hour) * time.Hour)
	d.s.SetClock(func() time.Time { return t })
	return t
}

func (d *seeder) people() (*Credentials, error) {
	creds := &Credentials{AdminEmail: AdminEmail, AdminPassword: models.RandomSecret(12),
		CustomerEmail: CustomerEmail, CustomerPassword: models.RandomSecret(12)}
	admin, err := d.s.CreateUser(d.ctx, models.UserInput{Email: creds.AdminEmail, Name: "Rosa Lind", Role: models.RoleAdmin, Password: creds.AdminPassword})
	if err != nil {
		return nil, fmt.Errorf("demo admin: %w", err)
	}
	d.admin = admin
	d.staff = map[string]*models.User{}
	for _, p := range []struct{ email, name, role string }{
		{"sam@amends.example", "Sam Okafor", models.RoleSRE},
		{"mei@amends.example", "Mei Tanaka", models.RoleSRE},
		{"viewer@amends.example", "Ola Berg", models.RoleViewer},
	} {
		u, err := d.s.CreateUser(d.ctx, models.UserInput{Email: p.email, Name: p.name, Role: p.role, Password: models.RandomSecret(12)})
		if err != nil {
			return nil, fmt.Errorf("demo user %s: %w", p.email, err)
		}
		d.staff[p.email] = u
	}
	if creds.AdminToken, err = d.s.CreateToken(d.ctx, admin.ID, "demo"); err != nil {
		return nil, err
	}
	return creds, nil
}

func (d *seeder) organisations(creds *Credentials) error {
	d.at(120, 9)
	for _, c := range customers {
		cu, err := d.s.CreateCustomer(d.ctx, c.in)
		if err != nil {
			return fmt.Errorf("demo customer %s: %w", c.in.Slug, err)
		}
		d.customers[cu.Slug] = cu
		for _, slo := range c.slos {
			created, err := d.s.CreateSLO(d.ctx, cu.ID, slo)
			if err != nil {
				return fmt.Errorf("demo SLO %s: %w", slo.Name, err)
			}
			d.slos[cu.Slug+"/"+slo.Name] = created
		}
	}
	for _, u := range []models.UserInput{
		{Email: creds.CustomerEmail, Name: "Jonas Weber", Role: models.RoleCustomer, CustomerSlug: "northwind",
			CustomerAdmin: true, Password: creds.CustomerPassword},
		{Email: "sre@globex.example", Name: "Ana Costa", Role: models.RoleCustomer, CustomerSlug: "globex",
			Password: models.RandomSecret(12)},
	} {
		if _, err := d.s.CreateUser(d.ctx, u); err != nil {
			return fmt.Errorf("demo customer user %s: %w", u.Email, err)
		}
	}
	return nil
}
