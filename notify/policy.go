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

// Validate names every field that is out of range, as the API and the
// settings page show them.
func (p Policy) Validate() error {
	bad := map[string]string{}
	if _, ok := ParseWeekday(p.DigestDay); !ok {
		bad["digest_day"] = fmt.Sprintf("must be a weekday such as monday, got %q", p.DigestDay)
	}
	if p.HeadsUpDays < 0 || p.HeadsUpDays > 365 {
		bad["heads_up_days"] = "must be from 0 to 365 days"
	}
	if p.EscalateAfterDays < 1 || p.EscalateAfterDays > 365 {
		bad["escalate_after_days"] = "must be from 1 to 365 days"
	}
	if p.WorkStartHour < 0 || p.WorkStartHour > 23 {
		bad["work_start_hour"] = "must be an hour from 0 to 23"
	}
	switch {
	case p.WorkEndHour < 1 || p.WorkEndHour > 24:
		bad["work_end_hour"] = "must be an hour from 1 to 24"
	case p.WorkStartHour >= p.WorkEndHour:
		bad["work_end_hour"] = "must be after work_start_hour"
	}
	if len(bad) > 0 {
		return &models.ValidationError{Fields: bad}
	}
	return nil
}

// SavePolicy stores the policy once every field is in range.
func SavePolicy(ctx context.Context, store *models.Store, actor *models.User, p Policy) error {
	if !actor.Can(models.PermAdmin) {
		return fmt.Errorf("reminder policy: %w", models.ErrForbidden)
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return store.SaveSetting(ctx, actor, PolicySetting, p)
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
