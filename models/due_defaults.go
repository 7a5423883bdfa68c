package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"

	"gorm.io/gorm"
)

// DueDaysSetting is the admin setting holding, per priority, how many days
// after creation an item without a due date is due. Critical work must not
// be open-ended, so P0 and P1 have defaults; a priority absent from the
// setting gets no due date.
const DueDaysSetting = "item_due_days"

// DefaultDueDays applies while the setting was never saved.
var DefaultDueDays = map[string]int{"P0": 14, "P1": 30}

// defaultDueDate is the due date by policy of a new item of that priority,
// or nil when the policy sets none.
func (s *Store) defaultDueDate(tx *gorm.DB, priority string) (*Date, error) {
	days := DefaultDueDays
	var st Setting
	err := tx.First(&st, "key = ?", DueDaysSetting).Error
	switch {
	case err == nil:
		days = map[string]int{}
		if err := json.Unmarshal([]byte(st.Value), &days); err != nil {
			return nil, fmt.Errorf("decode setting %s: %w", DueDaysSetting, err)
		}
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return nil, fmt.Errorf("load setting %s: %w", DueDaysSetting, err)
	}
	n, ok := days[priority]
	if !ok || n <= 0 {
		return nil, nil
	}
	d := s.Today().AddDays(n)
	return &d, nil
}

// DueDays loads, per priority, the days after creation an item without a
// due date is due, or the defaults.
func (s *Store) DueDays(ctx context.Context) (map[string]int, error) {
	// Decoded into a fresh map: decoding into DefaultDueDays itself would
	// change the defaults of the whole process.
	var days map[string]int
	found, err := s.LoadSetting(ctx, DueDaysSetting, &days)
	if err != nil {
		return nil, err
	}
	if !found {
		return maps.Clone(DefaultDueDays), nil
	}
	if days == nil {
		days = map[string]int{}
	}
	return days, nil
}

// SaveDueDays sets, per priority, the days after creation an item without
// a due date is due; a priority left out gets none.
func (s *Store) SaveDueDays(ctx context.Context, actor *User, days map[string]int) error {
	if actor != nil && !actor.Can(PermAdmin) {
		return fmt.Errorf("due-date defaults: %w", ErrForbidden)
	}
	if err := ValidateDueDays(days); err != nil {
		return err
	}
	return s.SaveSetting(ctx, actor, DueDaysSetting, days)
}

// ValidateDueDays names every priority whose days are refused.
func ValidateDueDays(days map[string]int) error {
	f := fieldErrors{}
	for p, n := range days {
		switch {
		case !IsPriority(p):
			f.add(p, "is not a priority (P0 to P3)")
		case n < 1 || n > 365:
			f.add(p, fmt.Sprintf("must be from 1 to 365 days, got %d", n))
		}
	}
	return f.err()
}
