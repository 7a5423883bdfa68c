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

// EntitySetting is the audit entity type of changes to admin settings; the
// field is the setting's key. Customer users never read these events:
// customerEventFields has no entry.
const EntitySetting = "setting"

// SaveSetting stores a setting and records the change in the audit trail.
func (s *Store) SaveSetting(ctx context.Context, actor *User, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode setting %s: %w", key, err)
	}
	st := Setting{Key: key, Value: string(b), UpdatedAt: s.Now()}
	if actor != nil {
		st.UpdatedByID = &actor.ID
	}
	return s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old Setting
		if err := tx.Where("key = ?", key).Limit(1).Find(&old).Error; err != nil {
			return fmt.Errorf("load setting %s: %w", key, err)
		}
		if old.Value == st.Value {
			return nil
		}
		if err := tx.Save(&st).Error; err != nil {
			return fmt.Errorf("save setting %s: %w", key, err)
		}
		ch := []change{{Field: key, Old: old.Value, New: st.Value}}
		return newAudit(tx, actor, st.UpdatedAt).record(EntitySetting, 0, 0, ActionUpdated, ch, "")
	})
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
