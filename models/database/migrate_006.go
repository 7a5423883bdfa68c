package database

import (
	"time"

	"gorm.io/gorm"
)

// Frozen structs of migration 6. Never change them; add a new migration.

type m6JointSection struct {
	PostmortemID uint         `gorm:"primaryKey;autoIncrement:false"`
	Postmortem   m1Postmortem `gorm:"constraint:OnDelete:CASCADE"`
	CustomerID   uint         `gorm:"primaryKey;autoIncrement:false"`
	Customer     m1Customer   `gorm:"constraint:OnDelete:CASCADE"`
	Impact       string       `gorm:"type:text;not null"`
	WentWell     string       `gorm:"type:text;not null"`
	WentWrong    string       `gorm:"type:text;not null"`
	GotLucky     string       `gorm:"type:text;not null"`
	UpdatedAt    time.Time    `gorm:"not null"`
}

func (m6JointSection) TableName() string { return "joint_sections" }

type m6SignOff struct {
	ID           uint         `gorm:"primaryKey"`
	PostmortemID uint         `gorm:"not null;uniqueIndex:idx_signoffs_side,priority:1"`
	Postmortem   m1Postmortem `gorm:"constraint:OnDelete:CASCADE"`
	// CustomerID is 0 for the provider's sign-off, so that the unique index
	// holds for both sides (NULLs would never collide).
	CustomerID uint      `gorm:"not null;uniqueIndex:idx_signoffs_side,priority:2"`
	UserID     uint      `gorm:"not null"`
	User       m1User    `gorm:"constraint:OnDelete:RESTRICT"`
	SignedAt   time.Time `gorm:"not null"`
}

func (m6SignOff) TableName() string { return "sign_offs" }

type m6FollowUp struct {
	PostmortemID uint         `gorm:"primaryKey;autoIncrement:false"`
	Postmortem   m1Postmortem `gorm:"constraint:OnDelete:CASCADE"`
	ActionItemID uint         `gorm:"primaryKey;autoIncrement:false;index:idx_follow_ups_item"`
	ActionItem   m1ActionItem `gorm:"constraint:OnDelete:CASCADE"`
	CreatedAt    time.Time    `gorm:"not null"`
}

func (m6FollowUp) TableName() string { return "follow_ups" }

func migratePortal(tx *gorm.DB) error {
	return tx.Migrator().CreateTable(&m6JointSection{}, &m6SignOff{}, &m6FollowUp{})
}
