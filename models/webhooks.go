package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Webhook is an organisation's outgoing webhook. Secret signs the payloads
// (HMAC-SHA256), so it is kept as it is; it is shown once, at creation.
type Webhook struct {
	ID          uint      `gorm:"primaryKey"`
	CustomerID  uint      `gorm:"not null"`
	URL         string    `gorm:"size:2000;not null"`
	Secret      string    `gorm:"size:100;not null"`
	CreatedByID uint      `gorm:"not null"`
	CreatedAt   time.Time `gorm:"not null"`
	DeletedAt   *time.Time
}

// Delivery states.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// WebhookDelivery is one change to send to one webhook, and how trying
// went: the customer admin's delivery log.
type WebhookDelivery struct {
	ID             uint    `gorm:"primaryKey"`
	WebhookID      uint    `gorm:"not null"`
	Webhook        Webhook `gorm:"foreignKey:WebhookID"`
	EventID        uint    `gorm:"not null"`
	Payload        string  `gorm:"type:text;not null"`
	Status         string
	Attempts       int
	NextAttemptAt  time.Time
	LastStatusCode int
	LastError      string
	CreatedAt      time.Time
	DeliveredAt    *time.Time
}

// CreateWebhook adds a webhook to the customer admin's organisation.
func (s *Store) CreateWebhook(ctx context.Context, actor *User, rawURL string) (*Webhook, error) {
	if !actor.IsCustomerAdmin() {
		return nil, errNotCustomerAdmin("webhooks")
	}
	rawURL = strings.TrimSpace(rawURL)
	if len(rawURL) > 2000 {
		return nil, &ValidationError{Fields: map[string]string{"url": "is too long (at most 2000 characters)"}}
	}
	// The sender checks again at connect time, against DNS rebinding.
	if err := s.egress.CheckURL(ctx, rawURL); err != nil {
		return nil, &ValidationError{Fields: map[string]string{"url": err.Error()}}
	}
	h := Webhook{CustomerID: *actor.CustomerID, URL: rawURL, Secret: "whsec_" + RandomSecret(32),
		CreatedByID: actor.ID, CreatedAt: s.Now()}
	if err := s.db.W.WithContext(ctx).Create(&h).Error; err != nil {
		return nil, fmt.Errorf("create webhook: %w", err)
	}
	return &h, nil
}

// Webhooks lists the live webhooks of the customer admin's organisation.
func (s *Store) Webhooks(ctx context.Context, actor *User) ([]Webhook, error) {
	if !actor.IsCustomerAdmin() {
		return nil, errNotCustomerAdmin("webhooks")
	}
	return s.LiveWebhooks(ctx, *actor.CustomerID)
}

// LiveWebhooks lists a customer's webhooks that are not deleted, for jobs.
func (s *Store) LiveWebhooks(ctx context.Context, customerID uint) ([]Webhook, error) {
	var out []Webhook
	if err := s.db.R.WithContext(ctx).Where("customer_id = ? AND deleted_at IS NULL", customerID).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list webhooks of customer %d: %w", customerID, err)
	}
	return out, nil
}

// DeleteWebhook stops a webhook; its pending deliveries are dropped, its
// log kept.
func (s *Store) DeleteWebhook(ctx context.Context, actor *User, id uint) error {
	if !actor.IsCustomerAdmin() {
		return errNotCustomerAdmin("webhooks")
	}
	return s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Webhook{}).Where("id = ? AND customer_id = ? AND deleted_at IS NULL", id, *actor.CustomerID).
			Update("deleted_at", s.Now())
		if res.Error != nil {
			return fmt.Errorf("delete webhook %d: %w", id, res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("webhook %d: %w", id, ErrNotFound)
		}
		err := tx.Model(&WebhookDelivery{}).Where("webhook_id = ? AND status = ?", id, DeliveryPending).
			Updates(map[string]any{"status": DeliveryFailed, "last_error": "webhook deleted"}).Error
		if err != nil {
			return fmt.Errorf("drop deliveries of webhook %d: %w", id, err)
		}
		return nil
	})
}

// WebhookLog lists the newest deliveries of the organisation's webhooks.
func (s *Store) WebhookLog(ctx context.Context, actor *User, limit int) ([]WebhookDelivery, error) {
	if !actor.IsCustomerAdmin() {
		return nil, errNotCustomerAdmin("webhooks")
	}
	var out []WebhookDelivery
	err := s.db.R.WithContext(ctx).Omit("payload").Preload("Webhook").
		Where("webhook_id IN (SELECT id FROM webhooks WHERE customer_id = ?)", *actor.CustomerID).
		Order("id DESC").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list webhook deliveries: %w", err)
	}
	return out, nil
}

// QueueDeliveriesTx adds deliveries in the caller's transaction; one that
// is already queued for its webhook and event is left alone.
func QueueDeliveriesTx(tx *gorm.DB, ds []WebhookDelivery) error {
	if len(ds) == 0 {
		return nil
	}
	err := tx.Omit("Webhook").Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "webhook_id"}, {Name: "event_id"}}, DoNothing: true}).
		CreateInBatches(ds, 200).Error
	if err != nil {
		return fmt.Errorf("queue %d webhook deliveries: %w", len(ds), err)
	}
	return nil
}

// DueDeliveries lists pending deliveries whose time has come, with their
// webhooks.
func (s *Store) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]WebhookDelivery, error) {
	var out []WebhookDelivery
	err := s.db.R.WithContext(ctx).Preload("Webhook").Where("status = ? AND next_attempt_at <= ?", DeliveryPending, now).
		Order("id").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list due webhook deliveries: %w", err)
	}
	return out, nil
}

// ClaimDelivery takes a due delivery for one attempt by moving its next
// attempt to until, so that a pass overlapping this one does not post it
// too; claimed is false when another pass took it first.
func (s *Store) ClaimDelivery(ctx context.Context, id uint, now, until time.Time) (claimed bool, err error) {
	res := s.db.W.WithContext(ctx).Model(&WebhookDelivery{}).
		Where("id = ? AND status = ? AND next_attempt_at <= ?", id, DeliveryPending, now).
		Update("next_attempt_at", until)
	if res.Error != nil {
		return false, fmt.Errorf("claim webhook delivery %d: %w", id, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// RecordAttempt saves how one attempt went.
func (s *Store) RecordAttempt(ctx context.Context, d *WebhookDelivery) error {
	err := s.db.W.WithContext(ctx).Model(&WebhookDelivery{}).Where("id = ?", d.ID).Updates(map[string]any{
		"status": d.Status, "attempts": d.Attempts, "next_attempt_at": d.NextAttemptAt,
		"last_status_code": d.LastStatusCode, "last_error": d.LastError, "delivered_at": d.DeliveredAt,
	}).Error
	if err != nil {
		return fmt.Errorf("record webhook delivery %d: %w", d.ID, err)
	}
	return nil
}
