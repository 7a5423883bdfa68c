package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// FeedToken is the secret in a user's private Atom feed URL; only its
// SHA-256 is stored. A user has at most one live token.
type FeedToken struct {
	ID        uint      `gorm:"primaryKey"`
	UserID    uint      `gorm:"not null"`
	TokenHash string    `gorm:"size:64;not null"`
	CreatedAt time.Time `gorm:"not null"`
	RevokedAt *time.Time
}

// NewFeedToken revokes the user's feed token, if any, and makes a new one,
// returned in clear this once.
func (s *Store) NewFeedToken(ctx context.Context, actor *User) (string, error) {
	if !actor.IsCustomer() {
		return "", fmt.Errorf("feed: %w", ErrNotFound)
	}
	token := RandomSecret(32)
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := revokeFeedTokens(tx, actor.ID, s.Now()); err != nil {
			return err
		}
		t := FeedToken{UserID: actor.ID, TokenHash: hashToken(token), CreatedAt: s.Now()}
		if err := tx.Create(&t).Error; err != nil {
			return fmt.Errorf("create feed token for user %d: %w", actor.ID, err)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// RevokeFeedToken turns the user's feed URL off.
func (s *Store) RevokeFeedToken(ctx context.Context, actor *User) error {
	return revokeFeedTokens(s.db.W.WithContext(ctx), actor.ID, s.Now())
}

func revokeFeedTokens(tx *gorm.DB, userID uint, now time.Time) error {
	err := tx.Model(&FeedToken{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", now).Error
	if err != nil {
		return fmt.Errorf("revoke feed tokens of user %d: %w", userID, err)
	}
	return nil
}

// HasFeed reports whether the user has a live feed token, and since when.
func (s *Store) HasFeed(ctx context.Context, actor *User) (*time.Time, error) {
	var t FeedToken
	err := s.db.R.WithContext(ctx).Where("user_id = ? AND revoked_at IS NULL", actor.ID).First(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read feed token of user %d: %w", actor.ID, err)
	}
	return &t.CreatedAt, nil
}

// UserByFeedToken resolves a live feed token to its customer user, unless
// that user is disabled.
func (s *Store) UserByFeedToken(ctx context.Context, token string) (*User, error) {
	var u User
	err := s.db.R.WithContext(ctx).Joins("JOIN feed_tokens ON feed_tokens.user_id = users.id").
		Where("feed_tokens.token_hash = ? AND feed_tokens.revoked_at IS NULL AND users.disabled_at IS NULL", hashToken(token)).First(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("feed token: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("look up feed token: %w", err)
	}
	if !u.IsCustomer() {
		return nil, fmt.Errorf("feed token: %w", ErrNotFound)
	}
	return &u, nil
}
