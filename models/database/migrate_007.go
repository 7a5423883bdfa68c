package database

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// m7ReviewDraft is the frozen shape of review_drafts as migration 7
// creates it. Never change it; add a new migration.
type m7ReviewDraft struct {
	ID         uint      `gorm:"primaryKey"`
	CustomerID uint      `gorm:"not null;uniqueIndex:idx_review_drafts_customer_month,priority:1"`
	Month      string    `gorm:"size:7;not null;uniqueIndex:idx_review_drafts_customer_month,priority:2"`
	Snapshot   string    `gorm:"type:text;not null"`
	PreparedAt time.Time `gorm:"not null"`
}

func (m7ReviewDraft) TableName() string { return "review_drafts" }

func migrateReviewDrafts(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&m7ReviewDraft{}); err != nil {
		return fmt.Errorf("create review_drafts: %w", err)
	}
	return nil
}
