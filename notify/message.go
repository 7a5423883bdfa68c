package notify

import (
	"strings"
	"time"
)

// Statuses of an outbox message.
const (
	StatusQueued     = "queued"      // waiting for its time, or for SMTP to be configured
	StatusClaimed    = "claimed"     // a delivery pass holds it under a lease
	StatusHandingOff = "handing_off" // being given to the SMTP server right now
	StatusSent       = "sent"        // the SMTP server accepted it
	StatusFailed     = "failed"      // refused for good, or out of attempts
)

// StatusUncertain is how a handing_off row whose lease expired is shown:
// the server may or may not have taken it.
const StatusUncertain = "uncertain"

// Message is one row of the outbox.
type Message struct {
	ID          uint      `gorm:"primaryKey"`
	Key         string    `gorm:"uniqueIndex"`
	Kind        string    `gorm:""`
	Recipient   string    `gorm:""`
	Subject     string    `gorm:""`
	TextBody    string    `gorm:""`
	HTMLBody    string    `gorm:"column:html_body"`
	Headers     Headers   `gorm:"serializer:json;type:text"`
	Status      string    `gorm:""`
	NotBefore   time.Time `gorm:""`
	Attempts    int
	LeaseID     string
	LeaseUntil  *time.Time
	LastError   string
	CreatedAt   time.Time
	HandedOffAt *time.Time
	SentAt      *time.Time
}

// TableName is the outbox table created by migration 10.
func (Message) TableName() string { return "mail_outbox" }

// Headers are extra mail headers, such as List-Unsubscribe.
type Headers map[string]string

// ShownStatus is the status an admin sees: a hand-off whose lease ran out
// is uncertain.
func (m *Message) ShownStatus(now time.Time) string {
	if m.Status == StatusHandingOff && m.LeaseUntil != nil && m.LeaseUntil.Before(now) {
		return StatusUncertain
	}
	return m.Status
}

// queuedAt is when the message became due: when it was queued, or, for a
// first attempt held back (working hours), when the hold ended. Retries
// count from the queueing, since the recipient waited through them.
func (m *Message) queuedAt() time.Time {
	if m.Attempts <= 1 && m.NotBefore.After(m.CreatedAt) {
		return m.NotBefore
	}
	return m.CreatedAt
}

// Email is a message to put in the outbox.
type Email struct {
	To      string
	Kind    string // reminder, invitation, review…: part of the key
	Period  string // the period the key is unique for, e.g. a date
	Subject string
	Text    string
	HTML    string
	Headers Headers
	// NotBefore holds the message back until then (working hours).
	NotBefore time.Time
}

// Key is the idempotency key: one message per recipient, kind and period.
func (e Email) Key() string {
	return strings.ToLower(strings.TrimSpace(e.To)) + "|" + e.Kind + "|" + e.Period
}
