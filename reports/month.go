// Package reports builds the monthly SLO review of a customer: the month's
// incidents and what they cost against the customer's SLOs, every shared or
// joint postmortem, and the critical action items still open on both sides,
// as they stood at the end of the month. It depends on models, never on the
// web server.
package reports

import (
	"fmt"
	"time"

	"github.com/amendsdev/amends/models"
)

// Month is a calendar month, without a time zone until it is placed in one.
type Month struct {
	Year int
	Mon  time.Month
}

// ParseMonth reads YYYY-MM; anything else is a validation error naming the
// month, so that the API answers 400.
func ParseMonth(s string) (Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil || t.Year() < 2000 {
		return Month{}, invalid("month", "must be a month YYYY-MM, such as 2026-03")
	}
	return Month{t.Year(), t.Month()}, nil
}

func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Mon)) }

// Add moves n months forward (or back when n is negative).
func (m Month) Add(n int) Month {
	t := time.Date(m.Year, m.Mon+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	return Month{t.Year(), t.Month()}
}

// Bounds is the month in loc: from its first instant to the first instant
// of the next month, exclusive.
func (m Month) Bounds(loc *time.Location) (from, to time.Time) {
	from = time.Date(m.Year, m.Mon, 1, 0, 0, 0, 0, loc)
	return from, from.AddDate(0, 1, 0)
}

// Label is the month as people read it, "March 2026".
func (m Month) Label() string { return fmt.Sprintf("%s %d", m.Mon, m.Year) }

// MonthOf is the month that contains t in loc.
func MonthOf(t time.Time, loc *time.Location) Month {
	l := t.In(loc)
	return Month{l.Year(), l.Month()}
}

func invalid(field, msg string) error {
	return &models.ValidationError{Fields: map[string]string{field: msg}}
}
