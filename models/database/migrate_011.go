package database

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Frozen structs of migration 11. Never change them; add a new migration.

// m11Invitation is a customer admin's invitation of a colleague. Only the
// SHA-256 of the token is stored; UsedAt makes it one-time.
type m11Invitation struct {
	ID          uint      `gorm:"primaryKey"`
	CustomerID  uint      `gorm:"not null;index"`
	Email       string    `gorm:"size:254;not null"`
	TokenHash   string    `gorm:"size:64;not null;uniqueIndex"`
	InvitedByID uint      `gorm:"not null"`
	ExpiresAt   time.Time `gorm:"not null"`
	UsedAt      *time.Time
	RevokedAt   *time.Time
	CreatedAt   time.Time `gorm:"not null"`
}

func (m11Invitation) TableName() string { return "invitations" }

// m11FeedToken is the secret of a user's private Atom feed, stored hashed.
type m11FeedToken struct {
	ID        uint      `gorm:"primaryKey"`
	UserID    uint      `gorm:"not null;index"`
	TokenHash string    `gorm:"size:64;not null;uniqueIndex"`
	CreatedAt time.Time `gorm:"not null"`
	RevokedAt *time.Time
}

func (m11FeedToken) TableName() string { return "feed_tokens" }

// m11Subscription is how a user wants to hear of changes by email.
type m11Subscription struct {
	UserID    uint      `gorm:"primaryKey;autoIncrement:false"`
	Mode      string    `gorm:"size:20;not null"`
	UpdatedAt time.Time `gorm:"not null"`
}

func (m11Subscription) TableName() string { return "subscriptions" }

// m11Webhook is an organisation's outgoing webhook. The secret signs
// payloads, so it is kept in clear; it is shown once, at creation.
type m11Webhook struct {
	ID          uint      `gorm:"primaryKey"`
	CustomerID  uint      `gorm:"not null;index"`
	URL         string    `gorm:"size:2000;not null"`
	Secret      string    `gorm:"size:100;not null"`
	CreatedByID uint      `gorm:"not null"`
	CreatedAt   time.Time `gorm:"not null"`
	DeletedAt   *time.Time
}

func (m11Webhook) TableName() string { return "webhooks" }

// m11WebhookDelivery is one change to send to one webhook, and the log of
// trying: unique per webhook and audit event, so a change is queued once.
type m11WebhookDelivery struct {
	ID             uint      `gorm:"primaryKey"`
	WebhookID      uint      `gorm:"not null;uniqueIndex:idx_webhook_deliveries_event,priority:1"`
	EventID        uint      `gorm:"not null;uniqueIndex:idx_webhook_deliveries_event,priority:2"`
	Payload        string    `gorm:"type:text;not null"`
	Status         string    `gorm:"size:20;not null;index:idx_webhook_deliveries_due,priority:1"`
	Attempts       int       `gorm:"not null"`
	NextAttemptAt  time.Time `gorm:"not null;index:idx_webhook_deliveries_due,priority:2"`
	LastStatusCode int       `gorm:"not null"`
	LastError      string    `gorm:"type:text;not null"`
	CreatedAt      time.Time `gorm:"not null"`
	DeliveredAt    *time.Time
}

func (m11WebhookDelivery) TableName() string { return "webhook_deliveries" }

// m11ChangeCursor is how far a job has read the audit trail.
type m11ChangeCursor struct {
	Name        string `gorm:"primaryKey;size:60"`
	LastEventID uint   `gorm:"not null"`
}

func (m11ChangeCursor) TableName() string { return "change_cursors" }

func migrateSubscriptions(tx *gorm.DB) error {
	for _, t := range []any{&m11Invitation{}, &m11FeedToken{}, &m11Subscription{}, &m11Webhook{},
		&m11WebhookDelivery{}, &m11ChangeCursor{}} {
		if err := tx.Migrator().CreateTable(t); err != nil {
			return fmt.Errorf("create %T: %w", t, err)
		}
	}
	return nil
}
