package database

import (
	"time"

	"gorm.io/gorm"
)

// Frozen structs of migration 9. Never change them; add a new migration.

type m9Setting struct {
	Key         string    `gorm:"primaryKey;size:100"`
	Value       string    `gorm:"type:text;not null"`
	UpdatedAt   time.Time `gorm:"not null"`
	UpdatedByID *uint
	UpdatedBy   *m1User `gorm:"constraint:OnDelete:SET NULL"`
}

func (m9Setting) TableName() string { return "settings" }

func migrateSettings(tx *gorm.DB) error {
	return tx.Migrator().CreateTable(&m9Setting{})
}
