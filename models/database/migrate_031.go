package database

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Frozen structs of migration 31. Never change them; add a new migration.

// m31User gains LastSignInAt, so that admins see who still uses access.
type m31User struct {
	LastSignInAt *time.Time
}

func (m31User) TableName() string { return "users" }

// m31Invitation gains CustomerAdmin: a staff admin may invite the first
// administrator of a customer organisation.
type m31Invitation struct {
	CustomerAdmin bool `gorm:"not null;default:false"`
}

func (m31Invitation) TableName() string { return "invitations" }

// m31StaffInvitation is an admin's invitation of a staff member with a
// role. Only the SHA-256 of the token is stored; UsedAt makes it one-time.
type m31StaffInvitation struct {
	ID          uint      `gorm:"primaryKey"`
	Email       string    `gorm:"size:254;not null"`
	Role        string    `gorm:"size:20;not null"`
	TokenHash   string    `gorm:"size:64;not null;uniqueIndex"`
	InvitedByID uint      `gorm:"not null"`
	ExpiresAt   time.Time `gorm:"not null"`
	UsedAt      *time.Time
	RevokedAt   *time.Time
	CreatedAt   time.Time `gorm:"not null"`
}

func (m31StaffInvitation) TableName() string { return "staff_invitations" }

// migrateAdminPages (31): what the admin pages need.
func migrateAdminPages(tx *gorm.DB) error {
	m := tx.Migrator()
	if err := m.AddColumn(&m31User{}, "LastSignInAt"); err != nil {
		return fmt.Errorf("add users.last_sign_in_at: %w", err)
	}
	if err := m.AddColumn(&m31Invitation{}, "CustomerAdmin"); err != nil {
		return fmt.Errorf("add invitations.customer_admin: %w", err)
	}
	if err := m.CreateTable(&m31StaffInvitation{}); err != nil {
		return fmt.Errorf("create staff_invitations: %w", err)
	}
	return nil
}
