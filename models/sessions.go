package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Session is a signed-in browser. Only the SHA-256 of its cookie value is
// stored; CSRF is the token every form of the session must send back.
type Session struct {
	ID         uint   `gorm:"primaryKey"`
	Hash       string `gorm:"size:64;not null;uniqueIndex"`
	UserID     uint   `gorm:"not null"`
	User       User   `gorm:"foreignKey:UserID"`
	CSRF       string `gorm:"column:csrf;size:64;not null"`
	ExpiresAt  time.Time
	LastSeenAt time.Time
	CreatedAt  time.Time
}

// SessionTTL is how long a session lasts without being used.
const SessionTTL = 7 * 24 * time.Hour

// sessionRenewal is how often a used session's expiry is pushed back.
const sessionRenewal = time.Hour

// Current reports whether the session is live at now and not yet due for
// renewal, so that a copy read earlier may stand in for it.
func (s *Session) Current(now time.Time) bool {
	return now.Before(s.ExpiresAt) && now.Sub(s.LastSeenAt) <= sessionRenewal
}

// CreateSession signs a user in and returns the cookie value, shown once.
func (s *Store) CreateSession(ctx context.Context, userID uint) (string, *Session, error) {
	token := RandomSecret(32)
	now := s.Now()
	sess := Session{Hash: hashToken(token), UserID: userID, CSRF: RandomSecret(24),
		ExpiresAt: now.Add(SessionTTL), LastSeenAt: now, CreatedAt: now}
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&sess).Error; err != nil {
			return fmt.Errorf("create session for user %d: %w", userID, err)
		}
		// Admins see who still uses its access (the users page).
		if err := tx.Model(&User{}).Where("id = ?", userID).UpdateColumn("last_sign_in_at", now).Error; err != nil {
			return fmt.Errorf("record the sign-in of user %d: %w", userID, err)
		}
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return token, &sess, nil
}

// SessionByToken resolves a cookie value to its live session and user, whose
// access must not have been taken away (models/access.go). It
// renews the expiry at most once an hour, so that reads stay reads.
func (s *Store) SessionByToken(ctx context.Context, token string) (*Session, error) {
	var sess Session
	now := s.Now()
	// One query for the session and its user, found by its unique hash
	// (Take: First would sort by id for nothing): every page runs it.
	err := s.db.R.WithContext(ctx).Joins("User").
		Where("sessions.hash = ? AND sessions.expires_at > ?", hashToken(token), now).Take(&sess).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("look up session: %w", err)
	}
	if sess.User.Disabled() {
		return nil, ErrNotFound
	}
	if now.Sub(sess.LastSeenAt) > sessionRenewal {
		sess.LastSeenAt, sess.ExpiresAt = now, now.Add(SessionTTL)
		if err := s.db.W.WithContext(ctx).Model(&Session{}).Where("id = ?", sess.ID).
			Updates(map[string]any{"last_seen_at": now, "expires_at": sess.ExpiresAt}).Error; err != nil {
			return nil, fmt.Errorf("renew session: %w", err)
		}
	}
	return &sess, nil
}

// DeleteSession signs a browser out; deleting an unknown session is a no-op.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	if err := s.db.W.WithContext(ctx).Where("hash = ?", hashToken(token)).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions past their expiry.
func (s *Store) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	res := s.db.W.WithContext(ctx).Where("expires_at <= ?", s.Now()).Delete(&Session{})
	return res.RowsAffected, res.Error
}
