package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Setting is an admin-managed setting, its value JSON.
type Setting struct {
	Key         string `gorm:"primaryKey"`
	Value       string
	UpdatedAt   time.Time
	UpdatedByID *uint
}

// LoadSetting decodes a setting into dst; a setting never saved leaves dst
// as it was (its defaults) and reports false.
func (s *Store) LoadSetting(ctx context.Context, key string, dst any) (bool, error) {
	var st Setting
	err := s.db.R.WithContext(ctx).First(&st, "key = ?", key).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("load setting %s: %w", key, err)
	}
	if err := json.Unmarshal([]byte(st.Value), dst); err != nil {
		return false, fmt.Errorf("decode setting %s: %w", key, err)
	}
	return true, nil
}

// SaveSetting stores a setting.
func (s *Store) SaveSetting(ctx context.Context, actor *User, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode setting %s: %w", key, err)
	}
	st := Setting{Key: key, Value: string(b), UpdatedAt: s.Now()}
	if actor != nil {
		st.UpdatedByID = &actor.ID
	}
	if err := s.db.W.WithContext(ctx).Save(&st).Error; err != nil {
		return fmt.Errorf("save setting %s: %w", key, err)
	}
	return nil
}

// SharedSecret reads the random key kept in the setting named key,
// creating it once; replicas racing to create it agree on whichever
// insert won, so every replica signs and checks with the same key.
func (s *Store) SharedSecret(ctx context.Context, key string) ([]byte, error) {
	var value string
	if ok, err := s.LoadSetting(ctx, key, &value); err != nil || ok {
		return []byte(value), err
	}
	st := Setting{Key: key, Value: `"` + RandomSecret(32) + `"`, UpdatedAt: s.Now()}
	if err := s.db.W.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&st).Error; err != nil {
		return nil, fmt.Errorf("create the key %s: %w", key, err)
	}
	if _, err := s.LoadSetting(ctx, key, &value); err != nil {
		return nil, err
	}
	return []byte(value), nil
}
