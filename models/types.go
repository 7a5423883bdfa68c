package models

import (
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"time"
)

// Enumerations of the domain. Values are stored and sent as these strings.
const (
	RoleAdmin    = "admin"
	RoleSRE      = "sre"
	RoleViewer   = "viewer"
	RoleCustomer = "customer"

	VisibilityInternal = "internal"
	VisibilityShared   = "shared"
	VisibilityJoint    = "joint"
	// VisibilityPublic publishes the customer-facing part to anyone, on
	// the public page (/status), and to the customers it names as shared.
	VisibilityPublic = "public"

	PMDraft     = "draft"
	PMInReview  = "in_review"
	PMPublished = "published"

	OwnerProvider = "provider"
	OwnerCustomer = "customer"

	StatusOpen       = "open"
	StatusInProgress = "in_progress"
	StatusBlocked    = "blocked"
	StatusDone       = "done"
	StatusWontFix    = "wont_fix"
)

var (
	Roles        = []string{RoleAdmin, RoleSRE, RoleViewer, RoleCustomer}
	Visibilities = []string{VisibilityInternal, VisibilityShared, VisibilityJoint, VisibilityPublic}
	PMStatuses   = []string{PMDraft, PMInReview, PMPublished}
	Severities   = []string{"SEV1", "SEV2", "SEV3", "SEV4"}
	Owners       = []string{OwnerProvider, OwnerCustomer}
	ItemTypes    = []string{"investigate", "mitigate", "repair", "detect", "prevent", "process"}
	Priorities   = []string{"P0", "P1", "P2", "P3"}
	ItemStatuses = []string{StatusOpen, StatusInProgress, StatusBlocked, StatusDone, StatusWontFix}
	// OpenStatuses are the statuses of an item that still needs work.
	OpenStatuses = []string{StatusOpen, StatusInProgress, StatusBlocked}
)

// IsCritical reports whether a priority is critical (P0 and P1).
func IsCritical(priority string) bool { return priority == "P0" || priority == "P1" }

// IsClosedStatus reports whether an item in this status needs no more work.
func IsClosedStatus(status string) bool { return status == StatusDone || status == StatusWontFix }

// Date is a calendar date without a time zone, stored as "YYYY-MM-DD" text
// so that it compares the same way on SQLite and PostgreSQL.
type Date struct{ t time.Time }

const dateLayout = "2006-01-02"

var errBadDate = errors.New("must be a date YYYY-MM-DD")

// ParseDate reads a YYYY-MM-DD date.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, errBadDate
	}
	return Date{t}, nil
}

// DateOf is the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

func (d Date) String() string               { return d.t.Format(dateLayout) }
func (d Date) Time() time.Time              { return d.t }
func (d Date) IsZero() bool                 { return d.t.IsZero() }
func (d Date) Before(o Date) bool           { return d.t.Before(o.t) }
func (d Date) AddDays(n int) Date           { return Date{d.t.AddDate(0, 0, n)} }
func (d Date) DaysUntil(o Date) int         { return int(o.t.Sub(d.t).Hours() / 24) }
func (d Date) Value() (driver.Value, error) { return d.String(), nil }

func (d *Date) Scan(v any) error {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case []byte:
		s = string(x)
	case time.Time:
		*d = DateOf(x)
		return nil
	default:
		return fmt.Errorf("scan date from %T", v)
	}
	if len(s) > len(dateLayout) {
		s = s[:len(dateLayout)]
	}
	p, err := ParseDate(s)
	if err != nil {
		return fmt.Errorf("scan date %q: %w", s, err)
	}
	*d = p
	return nil
}

func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errBadDate
	}
	p, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// Opt is a field of a partial update: absent (Set false), null (Null true),
// or a value. It lets PATCH tell "leave alone" from "clear".
type Opt[T any] struct {
	Set  bool
	Null bool
	V    T
}

func (o *Opt[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Null = true
		return nil
	}
	return json.Unmarshal(b, &o.V)
}

// ValueType is the type of the value, for messages about wrong types.
func (Opt[T]) ValueType() reflect.Type { return reflect.TypeFor[T]() }

// Some is a set, non-null Opt.
func Some[T any](v T) Opt[T] { return Opt[T]{Set: true, V: v} }

// IsPriority reports whether p is one of P0..P3.
func IsPriority(p string) bool {
	for _, q := range Priorities {
		if p == q {
			return true
		}
	}
	return false
}
