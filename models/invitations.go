package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 7 * 24 * time.Hour

// Invitation asks someone to join a customer organisation. The token is
// shown once, in the email; only its SHA-256 is stored.
type Invitation struct {
	ID          uint   `gorm:"primaryKey"`
	CustomerID  uint   `gorm:"not null"`
	Email       string `gorm:"size:254;not null"`
	TokenHash   string `gorm:"size:64;not null"`
	InvitedByID uint   `gorm:"not null"`
	// CustomerAdmin makes the new user an administrator of its
	// organisation; only staff admins invite one.
	CustomerAdmin bool      `gorm:"not null;default:false"`
	ExpiresAt     time.Time `gorm:"not null"`
	UsedAt        *time.Time
	RevokedAt     *time.Time
	CreatedAt     time.Time `gorm:"not null"`
}

// ErrInvitationSpent says an invitation was used, revoked or has expired.
var ErrInvitationSpent = &RuleError{Code: "invitation_spent",
	Message: "This invitation has been used, withdrawn or has expired. Ask your administrator for a new one."}

// Invite creates an invitation to the customer admin's organisation and
// returns its token in clear, the only time it exists.
func (s *Store) Invite(ctx context.Context, actor *User, email string) (string, *Invitation, error) {
	return s.InviteWith(ctx, actor, email, nil)
}

// Announce sends an invitation's token inside the transaction that
// creates it, so the invitation and its email commit together or not at all.
type Announce func(tx *gorm.DB, inv *Invitation, token string) error

// InviteWith is Invite, announcing the invitation in its transaction.
func (s *Store) InviteWith(ctx context.Context, actor *User, email string, announce Announce) (string, *Invitation, error) {
	if !actor.IsCustomerAdmin() {
		return "", nil, errNotCustomerAdmin("invitations")
	}
	email = strings.ToLower(strings.TrimSpace(email))
	if !validEmail(email) {
		return "", nil, &ValidationError{Fields: map[string]string{"email": "must be an email address"}}
	}
	// Only a colleague's account is named: an address with an account
	// elsewhere (staff, another organisation) is invited like any other,
	// so that the answer reveals nothing outside the organisation. The
	// invitation goes to that address, whose owner alone learns, on
	// accepting, that it already has an account.
	if u, err := s.UserByEmail(ctx, email); err == nil && u.CustomerID != nil && *u.CustomerID == *actor.CustomerID {
		return "", nil, &ConflictError{Field: "email", Message: fmt.Sprintf("%s is already a member of your organisation", email)}
	} else if err != nil && !errors.Is(err, ErrNotFound) {
		return "", nil, err
	}
	return s.invite(ctx, actor, *actor.CustomerID, email, false, announce)
}

// InviteCustomerUser is a staff admin inviting someone to a customer
// organisation, as its administrator when admin is set: how a new
// customer gets the first user who manages its contacts and colleagues.
// An admin sees every user, so an address that has an account is named.
func (s *Store) InviteCustomerUser(ctx context.Context, actor *User, customerID uint, email string, admin bool, announce Announce) (string, *Invitation, error) {
	if !actor.Can(PermAdmin) {
		return "", nil, fmt.Errorf("invitations: %w", ErrNotFound)
	}
	if _, err := s.GetCustomer(ctx, actor, customerID); err != nil {
		return "", nil, err
	}
	email, err := s.newInvitee(ctx, email)
	if err != nil {
		return "", nil, err
	}
	return s.invite(ctx, actor, customerID, email, admin, announce)
}

// newInvitee checks an address a staff admin invites: an email address
// that has no account yet.
func (s *Store) newInvitee(ctx context.Context, email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if !validEmail(email) {
		return "", &ValidationError{Fields: map[string]string{"email": "must be an email address"}}
	}
	if _, err := s.UserByEmail(ctx, email); err == nil {
		return "", &ConflictError{Field: "email", Message: fmt.Sprintf("%s already has an account", email)}
	} else if !errors.Is(err, ErrNotFound) {
		return "", err
	}
	return email, nil
}

func (s *Store) invite(ctx context.Context, actor *User, customerID uint, email string, admin bool, announce Announce) (string, *Invitation, error) {
	token := RandomSecret(32)
	now := s.Now()
	inv := Invitation{CustomerID: customerID, Email: email, TokenHash: hashToken(token), CustomerAdmin: admin,
		InvitedByID: actor.ID, ExpiresAt: now.Add(InvitationTTL), CreatedAt: now}
	if err := createAnnounced(ctx, s, &inv, token, "invitation for "+email, announce); err != nil {
		return "", nil, err
	}
	return token, &inv, nil
}

// createAnnounced saves a new invitation, customer's or staff, and
// announces it (its email in the outbox) in the same transaction, so that
// neither exists without the other.
func createAnnounced[T any](ctx context.Context, s *Store, inv *T, token, what string, announce func(*gorm.DB, *T, string) error) error {
	return s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(inv).Error; err != nil {
			return fmt.Errorf("create %s: %w", what, err)
		}
		if announce == nil {
			return nil
		}
		return announce(tx, inv, token)
	})
}

// CustomerInvitations lists a customer's invitations still usable, for
// staff admins.
func (s *Store) CustomerInvitations(ctx context.Context, actor *User, customerID uint) ([]Invitation, error) {
	if !actor.Can(PermAdmin) {
		return nil, fmt.Errorf("invitations: %w", ErrNotFound)
	}
	var out []Invitation
	err := s.db.R.WithContext(ctx).Where("customer_id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?",
		customerID, s.Now()).Order("id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list invitations of customer %d: %w", customerID, err)
	}
	return out, nil
}

// PendingInvitations lists the organisation's invitations still usable.
func (s *Store) PendingInvitations(ctx context.Context, actor *User) ([]Invitation, error) {
	if !actor.IsCustomerAdmin() {
		return nil, errNotCustomerAdmin("invitations")
	}
	var out []Invitation
	err := s.db.R.WithContext(ctx).Where("customer_id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?",
		*actor.CustomerID, s.Now()).Order("id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list invitations of customer %d: %w", *actor.CustomerID, err)
	}
	return out, nil
}

// RevokeInvitation withdraws a pending invitation of the admin's own
// organisation.
func (s *Store) RevokeInvitation(ctx context.Context, actor *User, id uint) error {
	if !actor.IsCustomerAdmin() {
		return errNotCustomerAdmin("invitations")
	}
	res := s.db.W.WithContext(ctx).Model(&Invitation{}).
		Where("id = ? AND customer_id = ? AND used_at IS NULL AND revoked_at IS NULL", id, *actor.CustomerID).
		Update("revoked_at", s.Now())
	if res.Error != nil {
		return fmt.Errorf("revoke invitation %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("invitation %d: %w", id, ErrNotFound)
	}
	return nil
}

// InvitationByToken loads a usable invitation.
func (s *Store) InvitationByToken(ctx context.Context, token string) (*Invitation, error) {
	var inv Invitation
	err := s.db.R.WithContext(ctx).Where("token_hash = ?", hashToken(token)).First(&inv).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrInvitationSpent
	}
	if err != nil {
		return nil, fmt.Errorf("look up invitation: %w", err)
	}
	if inv.UsedAt != nil || inv.RevokedAt != nil || !s.Now().Before(inv.ExpiresAt) {
		return nil, ErrInvitationSpent
	}
	return &inv, nil
}

// AcceptInvitation spends the invitation, a customer organisation's or a
// staff one, and creates its user, in one transaction: the conditional
// update lets exactly one request win.
func (s *Store) AcceptInvitation(ctx context.Context, token, name, password string) (*User, error) {
	name = strings.TrimSpace(name)
	f := fieldErrors{}
	f.required("name", name, 200)
	if len(password) < MinPasswordLen {
		f.add("password", fmt.Sprintf("must be at least %d characters", MinPasswordLen))
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	inv, err := s.InviteeByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	var hash string
	if herr := s.hashing.run(ctx, func() { hash, err = HashPassword(password) }); herr != nil {
		return nil, herr
	}
	if err != nil {
		return nil, err
	}
	u := User{Email: inv.Email, Name: name, Role: inv.Role, CustomerID: inv.CustomerID, CustomerAdmin: inv.CustomerAdmin,
		PasswordHash: hash, TimeZone: "UTC"}
	err = s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := s.Now()
		res := tx.Table(inv.table).Where("id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?", inv.id, now).
			Update("used_at", now)
		if res.Error != nil {
			return fmt.Errorf("spend invitation %d: %w", inv.id, res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrInvitationSpent
		}
		if err := tx.Create(&u).Error; err != nil {
			return conflictOnDuplicate(err, "email", fmt.Sprintf("%s already has an account", u.Email))
		}
		ch := diff(nil, map[string]string{"email": u.Email, "role": u.Role, "customer_id": fmtID(u.CustomerID),
			"customer_admin": fmt.Sprint(u.CustomerAdmin)})
		return newAudit(tx, &u, now).record(EntityUser, u.ID, 0, ActionCreated, ch, "accepted an invitation")
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}
