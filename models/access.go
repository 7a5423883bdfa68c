package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Taking access back: revoking tokens, disabling users, removing a
// customer's colleague. Each takes effect at the next request: every way
// in (Authenticate, TokenBySecret, SessionByToken, UserByFeedToken) checks
// the user, and each write here touches the users, api_tokens or sessions
// tables, which moves the credentials version that caches are kept under.
//
// A nil actor is the operator at the command line, who may do anything.

// EntityUser is the audit entity type of changes to a user's access.
// Customer users never read these events: customerEventFields has no entry.
const EntityUser = "user"

// ErrUserDisabled is a sign-in with the right password to a disabled user.
var ErrUserDisabled = errors.New("this account is disabled")

// Disabled reports whether the user's access has been taken away.
func (u *User) Disabled() bool { return u != nil && u.DisabledAt != nil }

// Live reports whether the token works at now: not revoked, not expired,
// its user not disabled.
func (t *APIToken) Live(now time.Time) bool {
	return t.RevokedAt == nil && (t.ExpiresAt == nil || now.Before(*t.ExpiresAt)) && !t.User.Disabled()
}

// Current reports whether the token is live and its use recently recorded,
// so that a copy read earlier may stand in for it.
func (t *APIToken) Current(now time.Time) bool {
	return t.Live(now) && t.LastUsedAt != nil && now.Sub(*t.LastUsedAt) < tokenTouch
}

// UserByID loads a user for an admin, or the operator (nil actor).
func (s *Store) UserByID(ctx context.Context, actor *User, id uint) (*User, error) {
	if actor != nil && !actor.Can(PermAdmin) {
		return nil, fmt.Errorf("user %d: %w", id, ErrNotFound)
	}
	var u User
	if err := s.db.R.WithContext(ctx).First(&u, id).Error; err != nil {
		return nil, notFound(err, "user", id)
	}
	return &u, nil
}

// UserAccess is a user with its API tokens, for the admins' users page.
type UserAccess struct {
	User
	Customer string // the customer's name, for customer users
	Tokens   []APIToken
}

// Users lists every user with its tokens, newest token first, for admins.
func (s *Store) Users(ctx context.Context, actor *User) ([]UserAccess, error) {
	if actor != nil && !actor.Can(PermAdmin) {
		return nil, fmt.Errorf("users: %w", ErrForbidden)
	}
	var users []User
	if err := s.db.R.WithContext(ctx).Order("email").Find(&users).Error; err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	var tokens []APIToken
	if err := s.db.R.WithContext(ctx).Omit("hash").Order("id DESC").Find(&tokens).Error; err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	var customers []Customer
	if err := s.db.R.WithContext(ctx).Select("id, name").Find(&customers).Error; err != nil {
		return nil, fmt.Errorf("list customers: %w", err)
	}
	names := map[uint]string{}
	for _, c := range customers {
		names[c.ID] = c.Name
	}
	byUser := map[uint][]APIToken{}
	for _, t := range tokens {
		byUser[t.UserID] = append(byUser[t.UserID], t)
	}
	out := make([]UserAccess, len(users))
	for i, u := range users {
		out[i] = UserAccess{User: u, Tokens: byUser[u.ID]}
		if u.CustomerID != nil {
			out[i].Customer = names[*u.CustomerID]
		}
	}
	return out, nil
}

// Tokens lists a user's API tokens, newest first, for admins and the
// operator. The hashes stay behind.
func (s *Store) Tokens(ctx context.Context, actor *User, userID uint) ([]APIToken, error) {
	if actor != nil && !actor.Can(PermAdmin) {
		return nil, fmt.Errorf("tokens: %w", ErrForbidden)
	}
	var out []APIToken
	if err := s.db.R.WithContext(ctx).Omit("hash").Where("user_id = ?", userID).Order("id DESC").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list tokens of user %d: %w", userID, err)
	}
	return out, nil
}

// RevokeToken stops a token for good. Revoking one already revoked changes
// nothing and reports it.
func (s *Store) RevokeToken(ctx context.Context, actor *User, id uint) (*APIToken, error) {
	if actor != nil && !actor.Can(PermAdmin) {
		return nil, fmt.Errorf("token %d: %w", id, ErrNotFound)
	}
	var t APIToken
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Omit("hash").First(&t, id).Error; err != nil {
			return notFound(err, "token", id)
		}
		if t.RevokedAt != nil {
			return nil
		}
		now := s.Now()
		t.RevokedAt = &now
		if err := tx.Model(&APIToken{}).Where("id = ?", id).Update("revoked_at", now).Error; err != nil {
			return fmt.Errorf("revoke token %d: %w", id, err)
		}
		ch := []change{{Field: "token", Old: fmt.Sprintf("%s (%d)", t.Name, t.ID), New: "revoked"}}
		return newAudit(tx, actor, now).record(EntityUser, t.UserID, 0, ActionUpdated, ch, "")
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// SetDisabled takes a user's access away, or gives it back. Disabling
// ends its sessions and revokes its API tokens and feed URL, so that
// enabling gives back the right to sign in, not the old credentials. An
// admin cannot disable itself.
func (s *Store) SetDisabled(ctx context.Context, actor *User, userID uint, disabled bool) (*User, error) {
	if actor != nil && !actor.Can(PermAdmin) {
		return nil, fmt.Errorf("user %d: %w", userID, ErrNotFound)
	}
	if actor != nil && actor.ID == userID && disabled {
		return nil, &RuleError{Code: "own_account", Message: "you cannot disable your own account"}
	}
	return s.setDisabled(ctx, actor, userID, disabled, nil)
}

// RemoveColleague is a customer admin taking a colleague out of its
// organisation: the colleague is disabled at once, as by SetDisabled, and
// loses its admin flag; its name stays on what it wrote. Only a staff
// admin can enable it again.
func (s *Store) RemoveColleague(ctx context.Context, actor *User, userID uint) (*User, error) {
	var target User
	if err := s.db.R.WithContext(ctx).First(&target, userID).Error; err != nil {
		return nil, notFound(err, "user", userID)
	}
	if !actor.CanRemoveColleague(&target) {
		if actor.IsCustomerAdmin() && actor.ID == userID {
			return nil, &RuleError{Code: "own_account", Message: "you cannot remove yourself"}
		}
		return nil, fmt.Errorf("user %d: %w", userID, ErrNotFound)
	}
	return s.setDisabled(ctx, actor, userID, true, map[string]any{"customer_admin": false})
}

func (s *Store) setDisabled(ctx context.Context, actor *User, userID uint, disabled bool, also map[string]any) (*User, error) {
	var u User
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&u, userID).Error; err != nil {
			return notFound(err, "user", userID)
		}
		if u.Disabled() == disabled && len(also) == 0 {
			return nil
		}
		now := s.Now()
		set := map[string]any{"disabled_at": nil, "updated_at": now}
		if disabled {
			set["disabled_at"] = now
		}
		for k, v := range also {
			set[k] = v
		}
		before := map[string]string{"disabled": fmt.Sprint(u.Disabled()), "customer_admin": fmt.Sprint(u.CustomerAdmin)}
		if err := tx.Model(&User{}).Where("id = ?", userID).Updates(set).Error; err != nil {
			return fmt.Errorf("update user %d: %w", userID, err)
		}
		if err := tx.First(&u, userID).Error; err != nil {
			return fmt.Errorf("reload user %d: %w", userID, err)
		}
		if disabled {
			if err := endCredentials(tx, userID, now); err != nil {
				return err
			}
		}
		after := map[string]string{"disabled": fmt.Sprint(u.Disabled()), "customer_admin": fmt.Sprint(u.CustomerAdmin)}
		return newAudit(tx, actor, now).record(EntityUser, userID, 0, ActionUpdated, diff(before, after), "")
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// endCredentials signs a user out everywhere and revokes its tokens and
// feed URL.
func endCredentials(tx *gorm.DB, userID uint, now time.Time) error {
	if err := tx.Where("user_id = ?", userID).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("end sessions of user %d: %w", userID, err)
	}
	if err := tx.Model(&APIToken{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", now).Error; err != nil {
		return fmt.Errorf("revoke tokens of user %d: %w", userID, err)
	}
	return revokeFeedTokens(tx, userID, now)
}

// StaffRoles are the roles an admin may move a staff user between; a
// customer user stays one.
var StaffRoles = []string{RoleAdmin, RoleSRE, RoleViewer}

// SetRole changes a staff user's role. An admin cannot change its own, so
// that there is always one left to undo a mistake.
func (s *Store) SetRole(ctx context.Context, actor *User, userID uint, role string) (*User, error) {
	if actor != nil && !actor.Can(PermAdmin) {
		return nil, fmt.Errorf("user %d: %w", userID, ErrNotFound)
	}
	f := fieldErrors{}
	f.oneOf("role", role, StaffRoles)
	if err := f.err(); err != nil {
		return nil, err
	}
	if actor != nil && actor.ID == userID {
		return nil, &RuleError{Code: "own_account", Message: "you cannot change your own role"}
	}
	var u User
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&u, userID).Error; err != nil {
			return notFound(err, "user", userID)
		}
		if u.IsCustomer() {
			return &RuleError{Code: "customer_user", Message: "a customer user keeps the customer role"}
		}
		if u.Role == role {
			return nil
		}
		ch := []change{{Field: "role", Old: u.Role, New: role}}
		now := s.Now()
		if err := tx.Model(&User{}).Where("id = ?", userID).Updates(map[string]any{"role": role, "updated_at": now}).Error; err != nil {
			return fmt.Errorf("set role of user %d: %w", userID, err)
		}
		u.Role = role
		return newAudit(tx, actor, now).record(EntityUser, userID, 0, ActionUpdated, ch, "")
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}
