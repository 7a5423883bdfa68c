package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// FederatedSignIn is a person an OpenID Connect provider vouched for, with
// the staff role its claims give them.
type FederatedSignIn struct {
	Issuer, Subject string
	Email           string
	EmailVerified   bool
	Name            string
	Role            string
}

// Refusals of a federated sign-in, each a RuleError whose message the
// person reads.
const (
	CodeNoEmail         = "no_email"
	CodeEmailUnverified = "email_unverified"
	CodeLinkedElsewhere = "linked_elsewhere"
	CodeCustomerAccount = "customer_account"
)

// SignInFederated finds or creates the staff user a provider's person is,
// and gives it the role the claims give, in one transaction:
//
//   - matched by (issuer, subject), never by email alone, since an address
//     can change hands at the provider;
//   - else a password user with the same email is linked, but only when
//     the provider says it verified that email: otherwise anyone who can
//     set that address at the provider would take the account over;
//   - else a new staff user is made, without a password.
//
// A disabled user stays out (ErrUserDisabled) whatever the provider says;
// a customer user's email is refused, as customers sign in with passwords.
// The role, name and (verified, unused) email are refreshed each time, so
// that a role taken away at the provider is taken away here.
func (s *Store) SignInFederated(ctx context.Context, in FederatedSignIn) (*User, error) {
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	if in.Name = strings.TrimSpace(in.Name); len(in.Name) > 200 || TextProblem(in.Name, false) != "" {
		in.Name = "" // kept as it was, or the email for a new user
	}
	if in.Issuer == "" || in.Subject == "" || !slices.Contains(StaffRoles, in.Role) {
		return nil, fmt.Errorf("federated sign-in: want an issuer, a subject and a staff role, got %q %q %q", in.Issuer, in.Subject, in.Role)
	}
	var u User
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Where("oidc_issuer = ? AND oidc_subject = ?", in.Issuer, in.Subject).First(&u).Error
		switch {
		case err == nil:
			return s.refreshFederated(tx, &u, in)
		case !errors.Is(err, gorm.ErrRecordNotFound):
			return fmt.Errorf("find the user of %s at %s: %w", in.Subject, in.Issuer, err)
		}
		if in.Email == "" || !validEmail(in.Email) {
			return &RuleError{Code: CodeNoEmail, Message: "The identity provider sent no usable email address for you, so amends cannot make your account. Ask its administrator to release the email claim to amends."}
		}
		err = tx.Where("email = ?", in.Email).First(&u).Error
		switch {
		case err == nil:
			return s.linkFederated(tx, &u, in)
		case !errors.Is(err, gorm.ErrRecordNotFound):
			return fmt.Errorf("find the user %s: %w", in.Email, err)
		}
		return s.createFederated(tx, &u, in)
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

func (s *Store) refreshFederated(tx *gorm.DB, u *User, in FederatedSignIn) error {
	if u.Disabled() {
		return ErrUserDisabled
	}
	if u.IsCustomer() {
		// Never made by a sign-in; an operator's edit cannot turn a
		// customer into staff through the provider either.
		return &RuleError{Code: CodeCustomerAccount, Message: "This account belongs to a customer organisation; customers sign in with their email and password."}
	}
	set := map[string]any{}
	before := map[string]string{"role": u.Role, "name": u.Name, "email": u.Email}
	if u.Role != in.Role {
		set["role"] = in.Role
	}
	if in.Name != "" && in.Name != u.Name {
		set["name"] = in.Name
	}
	if in.EmailVerified && in.Email != "" && in.Email != u.Email && validEmail(in.Email) {
		var taken int64
		if err := tx.Model(&User{}).Where("email = ?", in.Email).Count(&taken).Error; err != nil {
			return fmt.Errorf("check the email %s: %w", in.Email, err)
		}
		if taken == 0 {
			set["email"] = in.Email
		}
	}
	return s.updateFederated(tx, u, set, before)
}

func (s *Store) linkFederated(tx *gorm.DB, u *User, in FederatedSignIn) error {
	switch {
	case u.Disabled():
		return ErrUserDisabled
	case u.IsCustomer():
		return &RuleError{Code: CodeCustomerAccount, Message: "Your email belongs to a customer account in amends; customers sign in with their email and password, not through the company's identity provider."}
	case u.OIDCSubject != nil:
		return &RuleError{Code: CodeLinkedElsewhere, Message: "Your email belongs to an amends account that signs in as another person at the identity provider. Ask an administrator of amends."}
	case !in.EmailVerified:
		return &RuleError{Code: CodeEmailUnverified, Message: "An amends account with your email already exists, and the identity provider does not say it verified that email, so amends will not hand the account over. Ask an administrator of amends, or of the identity provider, to verify the email."}
	}
	before := map[string]string{"role": u.Role, "name": u.Name, "email": u.Email, "identity": ""}
	set := map[string]any{"oidc_issuer": in.Issuer, "oidc_subject": in.Subject, "role": in.Role}
	if in.Name != "" {
		set["name"] = in.Name
	}
	return s.updateFederated(tx, u, set, before)
}

// updateFederated writes the changes and one audit event naming them.
func (s *Store) updateFederated(tx *gorm.DB, u *User, set map[string]any, before map[string]string) error {
	if len(set) == 0 {
		return nil
	}
	now := s.Now()
	set["updated_at"] = now
	if err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(set).Error; err != nil {
		return fmt.Errorf("update user %d from the identity provider: %w", u.ID, err)
	}
	if err := tx.First(u, u.ID).Error; err != nil {
		return fmt.Errorf("reload user %d: %w", u.ID, err)
	}
	after := map[string]string{"role": u.Role, "name": u.Name, "email": u.Email}
	if _, ok := before["identity"]; ok {
		after["identity"] = *u.OIDCIssuer + " " + *u.OIDCSubject
	}
	return newAudit(tx, nil, now).record(EntityUser, u.ID, 0, ActionUpdated, diff(before, after), "identity provider sign-in")
}

func (s *Store) createFederated(tx *gorm.DB, u *User, in FederatedSignIn) error {
	name := in.Name
	if name == "" {
		name = in.Email
	}
	now := s.Now()
	issuer, subject := in.Issuer, in.Subject
	*u = User{Email: in.Email, Name: name, Role: in.Role, TimeZone: "UTC",
		OIDCIssuer: &issuer, OIDCSubject: &subject, CreatedAt: now, UpdatedAt: now}
	if err := tx.Create(u).Error; err != nil {
		return fmt.Errorf("create the user %s from the identity provider: %w", in.Email, err)
	}
	ch := []change{{Field: "role", New: u.Role}, {Field: "identity", New: issuer + " " + subject}}
	return newAudit(tx, nil, now).record(EntityUser, u.ID, 0, ActionCreated, ch, "identity provider sign-in")
}

// LinkFederated ties a staff user to a person at the provider by hand
// (amends user link), for a provider that does not vouch for emails
// (Entra ID sends no email_verified): the operator has checked who is
// who. The role still comes from the claims, at the next sign-in. Only
// the operator (nil actor) or an admin may.
func (s *Store) LinkFederated(ctx context.Context, actor *User, userID uint, issuer, subject string) (*User, error) {
	if actor != nil && !actor.Can(PermAdmin) {
		return nil, fmt.Errorf("user %d: %w", userID, ErrNotFound)
	}
	f := fieldErrors{}
	f.required("issuer", issuer, 500)
	f.required("subject", subject, 255)
	if err := f.err(); err != nil {
		return nil, err
	}
	var u User
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&u, userID).Error; err != nil {
			return notFound(err, "user", userID)
		}
		if u.IsCustomer() {
			return &RuleError{Code: CodeCustomerAccount, Message: "a customer user signs in with its password, not through the identity provider"}
		}
		before := map[string]string{"identity": ""}
		if u.OIDCSubject != nil {
			before["identity"] = *u.OIDCIssuer + " " + *u.OIDCSubject
		}
		now := s.Now()
		err := tx.Model(&User{}).Where("id = ?", userID).
			Updates(map[string]any{"oidc_issuer": issuer, "oidc_subject": subject, "updated_at": now}).Error
		if err != nil {
			return conflictOnDuplicate(err, "subject", fmt.Sprintf("another user already signs in as %s at %s", subject, issuer))
		}
		if err := tx.First(&u, userID).Error; err != nil {
			return fmt.Errorf("reload user %d: %w", userID, err)
		}
		after := map[string]string{"identity": issuer + " " + subject}
		return newAudit(tx, actor, now).record(EntityUser, userID, 0, ActionUpdated, diff(before, after), "linked by hand")
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}
