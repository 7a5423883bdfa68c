package database

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Frozen structs of migration 10. Never change them; add a new migration.

// m10OutboxMessage is one email waiting in, or sent from, the outbox. Key is
// the idempotency key (recipient, kind, period): unique, so a second pass in
// the same period inserts nothing.
type m10OutboxMessage struct {
	ID          uint       `gorm:"primaryKey"`
	Key         string     `gorm:"size:400;not null;uniqueIndex"`
	Kind        string     `gorm:"size:40;not null"`
	Recipient   string     `gorm:"size:254;not null;index"`
	Subject     string     `gorm:"size:300;not null"`
	TextBody    string     `gorm:"type:text;not null"`
	HTMLBody    string     `gorm:"column:html_body;type:text;not null"`
	Headers     string     `gorm:"type:text;not null"`
	Status      string     `gorm:"size:20;not null;index:idx_mail_outbox_due,priority:1"`
	NotBefore   time.Time  `gorm:"not null;index:idx_mail_outbox_due,priority:2"`
	Attempts    int        `gorm:"not null"`
	LeaseID     string     `gorm:"size:40;not null;index"`
	LeaseUntil  *time.Time `gorm:""`
	LastError   string     `gorm:"type:text;not null"`
	CreatedAt   time.Time  `gorm:"not null;index"`
	HandedOffAt *time.Time
	SentAt      *time.Time
}

func (m10OutboxMessage) TableName() string { return "mail_outbox" }

// m10NotificationPref is what one email address wants from amends: users
// and customer contacts alike, keyed by the lower-cased address.
type m10NotificationPref struct {
	Email     string    `gorm:"primaryKey;size:254"`
	Paused    bool      `gorm:"not null"`
	DigestDay *int      `gorm:""`
	TimeZone  string    `gorm:"size:64;not null"`
	UpdatedAt time.Time `gorm:"not null"`
}

func (m10NotificationPref) TableName() string { return "notification_prefs" }

func migrateMailOutbox(tx *gorm.DB) error {
	for _, t := range []any{&m10OutboxMessage{}, &m10NotificationPref{}} {
		if err := tx.Migrator().CreateTable(t); err != nil {
			return fmt.Errorf("create %T: %w", t, err)
		}
	}
	return nil
}
