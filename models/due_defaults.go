package models

import (
	"encoding/json"
	"errors"
	"fmt"

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
