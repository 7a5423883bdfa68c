package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// Email subscription modes of a customer user.
const (
	SubscribeOff     = "off"
	SubscribeInstant = "instant"
	SubscribeDaily   = "daily"
)

// SubscribeModes lists the modes in the order a form shows them.
var SubscribeModes = []string{SubscribeOff, SubscribeInstant, SubscribeDaily}

// Subscription is how a user wants to hear of changes to its
// organisation's postmortems and items by email.
type Subscription struct {
	UserID    uint `gorm:"primaryKey;autoIncrement:false"`
	Mode      string
	UpdatedAt time.Time
}

// SubscriptionOf reads the user's mode; "off" when never chosen.
func (s *Store) SubscriptionOf(ctx context.Context, actor *User) (string, error) {
	var sub Subscription
	if err := s.db.R.WithContext(ctx).Where("user_id = ?", actor.ID).Limit(1).Find(&sub).Error; err != nil {
		return "", fmt.Errorf("read subscription of user %d: %w", actor.ID, err)
	}
	if sub.Mode == "" {
		return SubscribeOff, nil
	}
	return sub.Mode, nil
}

// Subscribe sets a customer user's mode.
func (s *Store) Subscribe(ctx context.Context, actor *User, mode string) error {
	if !actor.IsCustomer() {
		return fmt.Errorf("subscription: %w", ErrNotFound)
	}
	f := fieldErrors{}
	f.oneOf("mode", mode, SubscribeModes)
	if err := f.err(); err != nil {
		return err
	}
	sub := Subscription{UserID: actor.ID, Mode: mode, UpdatedAt: s.Now()}
	err := s.db.W.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "user_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"mode", "updated_at"})}).Create(&sub).Error
	if err != nil {
		return fmt.Errorf("save subscription of user %d: %w", actor.ID, err)
	}
	return nil
}

// Subscribers lists the customer's users subscribed in a mode.
func (s *Store) Subscribers(ctx context.Context, customerID uint, mode string) ([]User, error) {
	var out []User
	err := s.db.R.WithContext(ctx).Joins("JOIN subscriptions ON subscriptions.user_id = users.id").
		Where("users.customer_id = ? AND subscriptions.mode = ? AND users.disabled_at IS NULL", customerID, mode).Order("users.id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list %s subscribers of customer %d: %w", mode, customerID, err)
	}
	return out, nil
}

// SubscribedCustomers lists the customers with a subscriber in the mode or,
// when withHooks is set, a live webhook: the ones a job must read for.
func (s *Store) SubscribedCustomers(ctx context.Context, mode string, withHooks bool) ([]uint, error) {
	var ids []uint
	q := s.db.R.WithContext(ctx).Table("users").Distinct("users.customer_id").
		Joins("JOIN subscriptions ON subscriptions.user_id = users.id").
		Where("subscriptions.mode = ? AND users.customer_id IS NOT NULL AND users.disabled_at IS NULL", mode)
	if err := q.Pluck("users.customer_id", &ids).Error; err != nil {
		return nil, fmt.Errorf("list subscribed customers: %w", err)
	}
	if withHooks {
		var hooked []uint
		if err := s.db.R.WithContext(ctx).Table("webhooks").Distinct("customer_id").Where("deleted_at IS NULL").
			Pluck("customer_id", &hooked).Error; err != nil {
			return nil, fmt.Errorf("list customers with webhooks: %w", err)
		}
		ids = append(ids, hooked...)
	}
	seen, out := map[uint]bool{}, ids[:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}
