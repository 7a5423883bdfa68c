package database

import (
	"time"

	"gorm.io/gorm"
)

// Frozen structs of migration 4. Never change them; add a new migration.

type m4Session struct {
	ID         uint      `gorm:"primaryKey"`
	Hash       string    `gorm:"size:64;not null;uniqueIndex:idx_sessions_hash"`
	UserID     uint      `gorm:"not null;index:idx_sessions_user"`
	User       m1User    `gorm:"constraint:OnDelete:CASCADE"`
	CSRF       string    `gorm:"column:csrf;size:64;not null"`
	ExpiresAt  time.Time `gorm:"not null;index:idx_sessions_expires"`
	LastSeenAt time.Time `gorm:"not null"`
	CreatedAt  time.Time `gorm:"not null"`
}

func (m4Session) TableName() string { return "sessions" }

func migrateSessions(tx *gorm.DB) error {
	return tx.Migrator().CreateTable(&m4Session{})
}
