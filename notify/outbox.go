package notify

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/amendsdev/amends/models"
)

// Outbox is the mail outbox table. Any feature that mails someone
// (reminders, invitations, subscriptions, issued reviews) puts its Email
// here and lets a delivery pass send it.
type Outbox struct {
	db    *database.DB
	store *models.Store
	// wake tells this process's Sender that mail was queued; serve shares
	// one Outbox between everything that queues mail and its Sender.
	wake chan struct{}
}

// NewOutbox opens the outbox of the store's database, on the store's clock.
func NewOutbox(store *models.Store) *Outbox {
	return &Outbox{db: store.DB(), store: store, wake: make(chan struct{}, 1)}
}

// Enqueue puts emails in the outbox in one transaction and says how many
// are new: an email whose key is already there is left alone. New mail
// wakes the Sender once committed.
func (o *Outbox) Enqueue(ctx context.Context, emails []Email) (int, error) {
	var n int
	err := o.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		n, err = o.EnqueueTx(tx, emails)
		return err
	})
	if err == nil && n > 0 {
		o.Wake()
	}
	return n, err
}

// Wake tells the Sender of this process to look at the outbox now. It never
// blocks: a wake-up already pending covers this one.
func (o *Outbox) Wake() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// EnqueueTx is Enqueue inside the caller's transaction, so that a change and
// the mail announcing it commit together or not at all. The caller calls
// Wake after the commit; a Sender that is not woken finds the mail at its
// next poll.
func (o *Outbox) EnqueueTx(tx *gorm.DB, emails []Email) (int, error) {
	if len(emails) == 0 {
		return 0, nil
	}
	now := o.store.Now()
	rows := make([]Message, len(emails))
	for i, e := range emails {
		nb := e.NotBefore
		if nb.IsZero() || nb.Before(now) {
			nb = now
		}
		rows[i] = Message{Key: e.Key(), Kind: e.Kind, Recipient: e.To, Subject: e.Subject, TextBody: e.Text,
			HTMLBody: e.HTML, Headers: e.Headers, Status: StatusQueued, NotBefore: nb.UTC(), CreatedAt: now}
		if rows[i].Headers == nil {
			rows[i].Headers = Headers{}
		}
	}
	res := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "key"}}, DoNothing: true}).CreateInBatches(rows, 200)
	if res.Error != nil {
		return 0, fmt.Errorf("enqueue %d emails: %w", len(emails), res.Error)
	}
	return int(res.RowsAffected), nil
}

// unqueued leaves out the recipients whose note of the day is in the
// outbox already, whatever its status.
func (o *Outbox) unqueued(ctx context.Context, rs []*recipient) ([]*recipient, error) {
	keys := make([]string, len(rs))
	for i, r := range rs {
		keys[i] = r.key()
	}
	var found []string
	if err := o.db.R.WithContext(ctx).Model(&Message{}).Where("key IN ?", keys).Pluck("key", &found).Error; err != nil {
		return nil, fmt.Errorf("look up %d reminder keys in the outbox: %w", len(keys), err)
	}
	have := make(map[string]bool, len(found))
	for _, k := range found {
		have[k] = true
	}
	out := make([]*recipient, 0, len(rs))
	for i, r := range rs {
		if !have[keys[i]] {
			out = append(out, r)
		}
	}
	return out, nil
}

// List shows the newest messages, for the admin page; status "" lists all.
func (o *Outbox) List(ctx context.Context, status string, limit int) ([]Message, error) {
	q := o.db.R.WithContext(ctx).Omit("text_body", "html_body").Order("id DESC").Limit(limit)
	if status != "" {
		q = q.Where("status = ?", status)
	}
	var out []Message
	if err := q.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	return out, nil
}

// Get loads one message with its bodies.
func (o *Outbox) Get(ctx context.Context, id uint) (*Message, error) {
	var m Message
	err := o.db.R.WithContext(ctx).First(&m, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("outbox message %d: %w", id, models.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load outbox message %d: %w", id, err)
	}
	return &m, nil
}

// Requeue sends a failed or uncertain message again, on an admin's word:
// the admin accepts that an uncertain one may arrive twice.
func (o *Outbox) Requeue(ctx context.Context, id uint) error {
	now := o.store.Now()
	res := o.db.W.WithContext(ctx).Model(&Message{}).
		Where("id = ? AND (status = ? OR (status = ? AND lease_until < ?))", id, StatusFailed, StatusHandingOff, now).
		Updates(map[string]any{"status": StatusQueued, "not_before": now, "lease_id": "", "lease_until": nil, "attempts": 0})
	if res.Error != nil {
		return fmt.Errorf("requeue outbox message %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return &models.ConflictError{Field: "status", Message: "only a failed or uncertain message can be sent again"}
	}
	o.Wake()
	return nil
}

// Count counts the messages in a status.
func (o *Outbox) Count(ctx context.Context, status string) (int64, error) {
	var n int64
	err := o.db.R.WithContext(ctx).Model(&Message{}).Where("status = ?", status).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("count %s outbox messages: %w", status, err)
	}
	return n, nil
}

// backoff is the wait before attempt n+1: a minute, doubling, at most six
// hours, so a relay that is down for a day loses nothing.
func backoff(attempts int) time.Duration {
	d := time.Minute
	for i := 1; i < attempts && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

// MaxAttempts is how many times a message is tried before it fails for good.
const MaxAttempts = 12
