package notify

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/amendsdev/amends/models"
)

// PolicySetting is the admin setting that overrides the reminder defaults.
const PolicySetting = "reminders"

// Policy says who is reminded of what, and when.
type Policy struct {
	// DigestDay is the weekday of the weekly digest of all open items.
	DigestDay string `json:"digest_day"`
	// HeadsUpDays is how many days before its due date an item is announced.
	HeadsUpDays int `json:"heads_up_days"`
	// EscalateAfterDays is how long an item may be overdue before its
	// postmortem's owner hears of it, then weekly.
	EscalateAfterDays int `json:"escalate_after_days"`
	// WorkStartHour and WorkEndHour bound, in the recipient's time zone when
	// known, the hours in which reminders go out.
	WorkStartHour int `json:"work_start_hour"`
	WorkEndHour   int `json:"work_end_hour"`
}

// DefaultPolicy applies while the setting was never saved. Overdue critical
// items are reminded daily: that is the point of the feature.
func DefaultPolicy() Policy {
	return Policy{DigestDay: "monday", HeadsUpDays: 3, EscalateAfterDays: 7, WorkStartHour: 9, WorkEndHour: 17}
}

// LoadPolicy reads the policy, the defaults filling what the setting omits.
func LoadPolicy(ctx context.Context, store *models.Store) (Policy, error) {
	p := DefaultPolicy()
	if _, err := store.LoadSetting(ctx, PolicySetting, &p); err != nil {
		return p, err
	}
	return p, p.Validate()
}

// Validate names the first field that is out of range.
func (p Policy) Validate() error {
	if _, ok := ParseWeekday(p.DigestDay); !ok {
		return fmt.Errorf("reminders.digest_day: want a weekday such as monday, got %q", p.DigestDay)
	}
	if p.HeadsUpDays < 0 || p.EscalateAfterDays < 1 {
		return fmt.Errorf("reminders: heads_up_days must be ≥ 0 and escalate_after_days ≥ 1")
	}
	if p.WorkStartHour < 0 || p.WorkEndHour > 24 || p.WorkStartHour >= p.WorkEndHour {
		return fmt.Errorf("reminders: want 0 ≤ work_start_hour < work_end_hour ≤ 24")
	}
	return nil
}

// ParseWeekday reads an English weekday name.
func ParseWeekday(s string) (time.Weekday, bool) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(d.String(), s) {
			return d, true
		}
	}
	return 0, false
}
