package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// Staff admins manage the users of a customer organisation: who they are,
// which of them administers it (contacts, colleagues, invitations), and
// taking access away (SetDisabled).

// CustomerUsers lists the users of a customer, by name, for staff admins.
func (s *Store) CustomerUsers(ctx context.Context, actor *User, customerID uint) ([]User, error) {
	if !actor.Can(PermAdmin) {
		return nil, fmt.Errorf("users of customer %d: %w", customerID, ErrNotFound)
	}
	var out []User
	if err := s.db.R.WithContext(ctx).Where("customer_id = ?", customerID).Order("name, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list users of customer %d: %w", customerID, err)
	}
	return out, nil
}

// SetCustomerAdmin makes a customer user an administrator of its
// organisation, or takes that away, and records the change.
func (s *Store) SetCustomerAdmin(ctx context.Context, actor *User, userID uint, admin bool) (*User, error) {
	if actor != nil && !actor.Can(PermAdmin) {
		return nil, fmt.Errorf("user %d: %w", userID, ErrNotFound)
	}
	var u User
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.First(&u, userID).Error; err != nil {
			return notFound(err, "user", userID)
		}
		if !u.IsCustomer() {
			return &RuleError{Code: "staff_user", Message: "only a customer user administers a customer organisation; staff have roles"}
		}
		if u.CustomerAdmin == admin {
			return nil
		}
		now := s.Now()
		if err := tx.Model(&User{}).Where("id = ?", userID).Updates(map[string]any{"customer_admin": admin, "updated_at": now}).Error; err != nil {
			return fmt.Errorf("set customer_admin of user %d: %w", userID, err)
		}
		ch := []change{{Field: "customer_admin", Old: fmt.Sprint(u.CustomerAdmin), New: fmt.Sprint(admin)}}
		u.CustomerAdmin = admin
		return newAudit(tx, actor, now).record(EntityUser, userID, 0, ActionUpdated, ch, "")
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// RevokeCustomerInvitation is a staff admin withdrawing a customer's
// pending invitation.
func (s *Store) RevokeCustomerInvitation(ctx context.Context, actor *User, customerID, id uint) error {
	if !actor.Can(PermAdmin) {
		return fmt.Errorf("invitation %d: %w", id, ErrNotFound)
	}
	res := s.db.W.WithContext(ctx).Model(&Invitation{}).
		Where("id = ? AND customer_id = ? AND used_at IS NULL AND revoked_at IS NULL", id, customerID).
		Update("revoked_at", s.Now())
	if res.Error != nil {
		return fmt.Errorf("revoke invitation %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("invitation %d: %w", id, ErrNotFound)
	}
	return nil
}
