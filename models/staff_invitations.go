package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// StaffInvitation asks someone to join the staff with a role. Like a
// customer organisation's Invitation, the token is shown once, in the
// email; only its SHA-256 is stored.
type StaffInvitation struct {
	ID          uint      `gorm:"primaryKey"`
	Email       string    `gorm:"size:254;not null"`
	Role        string    `gorm:"size:20;not null"`
	TokenHash   string    `gorm:"size:64;not null"`
	InvitedByID uint      `gorm:"not null"`
	ExpiresAt   time.Time `gorm:"not null"`
	UsedAt      *time.Time
	RevokedAt   *time.Time
	CreatedAt   time.Time `gorm:"not null"`
}

// AnnounceStaff sends a staff invitation's token inside the transaction
// that creates it.
type AnnounceStaff func(tx *gorm.DB, inv *StaffInvitation, token string) error

// InviteStaff is an admin inviting a staff member with one of StaffRoles,
// and returns the token in clear, the only time it exists.
func (s *Store) InviteStaff(ctx context.Context, actor *User, email, role string, announce AnnounceStaff) (string, *StaffInvitation, error) {
	if !actor.Can(PermAdmin) {
		return "", nil, fmt.Errorf("staff invitations: %w", ErrNotFound)
	}
	// Every bad field is named at once: the role, and the address.
	f := fieldErrors{}
	f.oneOf("role", role, StaffRoles)
	email, err := s.newInvitee(ctx, email)
	var invalid *ValidationError
	if errors.As(err, &invalid) {
		f.add("email", invalid.Fields["email"])
		err = nil
	}
	if ferr := f.err(); ferr != nil {
		return "", nil, ferr
	}
	if err != nil {
		return "", nil, err
	}
	token := RandomSecret(32)
	now := s.Now()
	inv := StaffInvitation{Email: email, Role: role, TokenHash: hashToken(token), InvitedByID: actor.ID,
		ExpiresAt: now.Add(InvitationTTL), CreatedAt: now}
	if err := createAnnounced(ctx, s, &inv, token, "staff invitation for "+email, announce); err != nil {
		return "", nil, err
	}
	return token, &inv, nil
}

// StaffInvitations lists the staff invitations still usable, for admins.
func (s *Store) StaffInvitations(ctx context.Context, actor *User) ([]StaffInvitation, error) {
	if !actor.Can(PermAdmin) {
		return nil, fmt.Errorf("staff invitations: %w", ErrNotFound)
	}
	var out []StaffInvitation
	err := s.db.R.WithContext(ctx).Where("used_at IS NULL AND revoked_at IS NULL AND expires_at > ?", s.Now()).
		Order("id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list staff invitations: %w", err)
	}
	return out, nil
}

// RevokeStaffInvitation withdraws a pending staff invitation.
func (s *Store) RevokeStaffInvitation(ctx context.Context, actor *User, id uint) error {
	if !actor.Can(PermAdmin) {
		return fmt.Errorf("staff invitation %d: %w", id, ErrNotFound)
	}
	res := s.db.W.WithContext(ctx).Model(&StaffInvitation{}).
		Where("id = ? AND used_at IS NULL AND revoked_at IS NULL", id).Update("revoked_at", s.Now())
	if res.Error != nil {
		return fmt.Errorf("revoke staff invitation %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("staff invitation %d: %w", id, ErrNotFound)
	}
	return nil
}

// Invitee is who a usable invitation makes a user of: a colleague in a
// customer organisation, or a staff member.
type Invitee struct {
	Email         string
	Role          string
	CustomerID    *uint
	CustomerAdmin bool
	table         string
	id            uint
}

// InviteeByToken reads a usable invitation of either kind.
func (s *Store) InviteeByToken(ctx context.Context, token string) (*Invitee, error) {
	inv, err := s.InvitationByToken(ctx, token)
	if err == nil {
		return &Invitee{Email: inv.Email, Role: RoleCustomer, CustomerID: &inv.CustomerID, CustomerAdmin: inv.CustomerAdmin,
			table: "invitations", id: inv.ID}, nil
	}
	if !errors.Is(err, ErrInvitationSpent) {
		return nil, err
	}
	var st StaffInvitation
	err = s.db.R.WithContext(ctx).Where("token_hash = ?", hashToken(token)).First(&st).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrInvitationSpent
	}
	if err != nil {
		return nil, fmt.Errorf("look up staff invitation: %w", err)
	}
	if st.UsedAt != nil || st.RevokedAt != nil || !s.Now().Before(st.ExpiresAt) {
		return nil, ErrInvitationSpent
	}
	return &Invitee{Email: st.Email, Role: st.Role, table: "staff_invitations", id: st.ID}, nil
}
