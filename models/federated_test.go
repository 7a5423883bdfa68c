package models_test

import (
	"github.com/amendsdev/amends/models/database"

	"errors"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

const issuer = "https://idp.example/realms/staff"

// TestSignInFederated: matched by issuer and subject, linked to a password
// user only through a verified email, made otherwise; the role, name and
// email follow the provider; disabled and customer users stay out; every
// change leaves an audit event.
func TestSignInFederated(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		s := f.Store
		in := func(sub, email string, verified bool, role string) models.FederatedSignIn {
			return models.FederatedSignIn{Issuer: issuer, Subject: sub, Email: email, EmailVerified: verified,
				Name: "Name of " + sub, Role: role}
		}

		u, err := s.SignInFederated(ctx, in("new-1", "New.Person@Provider.example", false, models.RoleSRE))
		if err != nil || u.Email != "new.person@provider.example" || u.Role != models.RoleSRE || u.PasswordHash != "" {
			t.Fatalf("first sign-in: %+v, %v", u, err)
		}
		again, err := s.SignInFederated(ctx, in("new-1", "renamed@provider.example", true, models.RoleViewer))
		if err != nil || again.ID != u.ID || again.Role != models.RoleViewer || again.Email != "renamed@provider.example" {
			t.Fatalf("the same subject again: %+v, %v", again, err)
		}
		// Another issuer's subject of the same name is another person, and
		// the account with its email already is someone's.
		other := in("new-1", "renamed@provider.example", false, models.RoleAdmin)
		other.Issuer = "https://other.example"
		if _, err := s.SignInFederated(ctx, other); !isRule(err, models.CodeLinkedElsewhere) {
			t.Fatalf("another issuer's subject: %v", err)
		}

		// A password user: unverified email refused, verified linked.
		if _, err := s.SignInFederated(ctx, in("sid", f.SRE.Email, false, models.RoleAdmin)); !isRule(err, models.CodeEmailUnverified) {
			t.Fatalf("unverified link: %v", err)
		}
		linked, err := s.SignInFederated(ctx, in("sid", f.SRE.Email, true, models.RoleAdmin))
		if err != nil || linked.ID != f.SRE.ID || linked.Role != models.RoleAdmin || linked.PasswordHash == "" {
			t.Fatalf("verified link: %+v, %v", linked, err)
		}
		if _, err := s.SignInFederated(ctx, in("someone-else", f.SRE.Email, true, models.RoleAdmin)); !isRule(err, models.CodeLinkedElsewhere) {
			t.Fatalf("a second subject for a linked user: %v", err)
		}
		if _, err := s.SignInFederated(ctx, in("alice", f.CustA.Email, true, models.RoleAdmin)); !isRule(err, models.CodeCustomerAccount) {
			t.Fatalf("a customer's email: %v", err)
		}
		if _, err := s.SignInFederated(ctx, in("nobody", "", true, models.RoleAdmin)); !isRule(err, models.CodeNoEmail) {
			t.Fatalf("no email: %v", err)
		}
		if _, err := s.SignInFederated(ctx, in("customer-role", "c@provider.example", true, models.RoleCustomer)); err == nil {
			t.Fatal("the provider made a customer user")
		}

		if _, err := s.SetDisabled(ctx, f.Admin, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SignInFederated(ctx, in("new-1", "renamed@provider.example", true, models.RoleAdmin)); !errors.Is(err, models.ErrUserDisabled) {
			t.Fatalf("a disabled user: %v", err)
		}
		if _, err := s.SetDisabled(ctx, f.Admin, f.Viewer.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SignInFederated(ctx, in("vic", f.Viewer.Email, true, models.RoleAdmin)); !errors.Is(err, models.ErrUserDisabled) {
			t.Fatalf("linking a disabled user: %v", err)
		}

		var events []struct{ Action, Field, OldValue, NewValue string }
		if err := db.R.Table("audit_events").Select("action, field, old_value, new_value").
			Where("entity_type = ? AND entity_id = ?", models.EntityUser, u.ID).Order("id").Scan(&events).Error; err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{"created role": false, "updated role": false, "updated email": false}
		for _, e := range events {
			want[e.Action+" "+e.Field] = true
		}
		for k, seen := range want {
			if !seen {
				t.Errorf("no audit event %q among %+v", k, events)
			}
		}
	})
}

// TestLinkFederated: the operator links a password user the provider does
// not vouch for; its next sign-in, email unverified, finds it by subject.
func TestLinkFederated(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		s := f.Store
		if _, err := s.LinkFederated(ctx, f.SRE, f.Viewer.ID, issuer, "vic"); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("an SRE linked a user: %v", err)
		}
		if _, err := s.LinkFederated(ctx, nil, f.Viewer.ID, issuer, "vic"); err != nil {
			t.Fatal(err)
		}
		u, err := s.SignInFederated(ctx, models.FederatedSignIn{Issuer: issuer, Subject: "vic", Email: f.Viewer.Email, Role: models.RoleSRE})
		if err != nil || u.ID != f.Viewer.ID || u.Role != models.RoleSRE {
			t.Fatalf("sign-in after the link: %+v, %v", u, err)
		}
		var conflict *models.ConflictError
		if _, err := s.LinkFederated(ctx, nil, f.Admin.ID, issuer, "vic"); !errors.As(err, &conflict) {
			t.Fatalf("a second user for one subject: %v", err)
		}
		if _, err := s.LinkFederated(ctx, nil, f.CustA.ID, issuer, "alice"); !isRule(err, models.CodeCustomerAccount) {
			t.Fatalf("a customer user: %v", err)
		}
	})
}

func isRule(err error, code string) bool {
	var rule *models.RuleError
	return errors.As(err, &rule) && rule.Code == code
}
