package database

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// m5IssuedReview is the frozen shape of issued_reviews as migration 5
// creates it. Never change it; add a new migration.
type m5IssuedReview struct {
	ID         uint      `gorm:"primaryKey"`
	CustomerID uint      `gorm:"not null;index:idx_issued_reviews_customer_month,priority:1"`
	Month      string    `gorm:"size:7;not null;index:idx_issued_reviews_customer_month,priority:2"`
	IssuedByID *uint     `gorm:"column:issued_by_id"`
	IssuedBy   string    `gorm:"size:254;not null"`
	Snapshot   string    `gorm:"type:text;not null"`
	IssuedAt   time.Time `gorm:"not null"`
}

func (m5IssuedReview) TableName() string { return "issued_reviews" }

func migrateIssuedReviews(tx *gorm.DB) error {
	if err := tx.Migrator().CreateTable(&m5IssuedReview{}); err != nil {
		return fmt.Errorf("create issued_reviews: %w", err)
	}
	return nil
}
