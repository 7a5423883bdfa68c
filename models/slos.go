package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// SLOInput creates or, by name, updates a customer SLO.
type SLOInput struct {
	Name            string  `json:"name"`
	DisplayName     string  `json:"display_name"`
	Description     string  `json:"description"`
	Target          float64 `json:"target"`
	WindowDays      int     `json:"window_days"`
	BudgetingMethod string  `json:"budgeting_method"`
	// CalendarDuration, CalendarStart and CalendarTimeZone make the SLO
	// calendar-aligned; all empty is a rolling window of WindowDays.
	CalendarDuration string `json:"calendar_duration"`
	CalendarStart    string `json:"calendar_start"`
	CalendarTimeZone string `json:"calendar_time_zone"`
	// SLI is the SLO's SLI, if any; an import without one leaves the SLI
	// already set alone.
	SLI SLIInput `json:"sli"`
}

var budgetingMethods = []string{"Occurrences", "Timeslices", "RatioTimeslices"}

func (in *SLOInput) validate() error {
	f := fieldErrors{}
	f.required("name", in.Name, 200)
	f.line("display_name", in.DisplayName, 200)
	if !(in.Target > 0 && in.Target < 1) {
		f.add("target", "must be between 0 and 1 exclusive, such as 0.999")
	}
	if in.WindowDays < 1 || in.WindowDays > 366 {
		f.add("window_days", "must be a whole number of days from 1 to 366")
	}
	if in.BudgetingMethod != "" {
		f.oneOf("budgeting_method", in.BudgetingMethod, budgetingMethods)
	}
	in.validateCalendar(f)
	in.SLI.validate(f, "sli.")
	return f.err()
}

// validateCalendar checks a calendar alignment, when there is one: a
// duration such as 1M, a start, and a time zone that exists.
func (in *SLOInput) validateCalendar(f fieldErrors) {
	if in.CalendarDuration == "" {
		if in.CalendarStart != "" || in.CalendarTimeZone != "" {
			f.add("calendar_duration", "is required with a calendar start or time zone, such as 1M")
		}
		return
	}
	if _, _, err := ParseCalendarDuration(in.CalendarDuration); err != nil {
		f.add("calendar_duration", err.Error())
	}
	if in.CalendarTimeZone == "" {
		in.CalendarTimeZone = "UTC"
	}
	loc, err := time.LoadLocation(in.CalendarTimeZone)
	if err != nil {
		f.add("calendar_time_zone", "must be an IANA time zone such as Europe/Paris")
		return
	}
	if in.CalendarStart == "" {
		in.CalendarStart = "2000-01-01 00:00:00"
	}
	if _, err := ParseCalendarStart(in.CalendarStart, loc); err != nil {
		f.add("calendar_start", err.Error())
	}
}

// ParseCalendarDuration reads a calendar period such as 1M, 4w or 1Q: a
// whole number and a unit (d, w, M, Q or Y).
func ParseCalendarDuration(s string) (int, string, error) {
	if len(s) >= 2 && strings.ContainsAny(s[len(s)-1:], "dwMQY") {
		if n, err := strconv.Atoi(s[:len(s)-1]); err == nil && n > 0 && n <= 366 {
			return n, s[len(s)-1:], nil
		}
	}
	return 0, "", fmt.Errorf("must be a calendar period such as 1M, 4w, 1Q or 1Y")
}

// ParseCalendarStart reads the start of a calendar alignment in loc, as
// OpenSLO writes it ("2022-01-01 12:00:00"), or as a date.
func ParseCalendarStart(s string, loc *time.Location) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("must be a start time such as 2026-01-01 00:00:00")
}

// ListSLOs lists a visible customer's SLOs by name.
func (s *Store) ListSLOs(ctx context.Context, actor *User, customerID uint) ([]SLO, error) {
	if _, err := s.GetCustomer(ctx, actor, customerID); err != nil {
		return nil, err
	}
	var slos []SLO
	if err := s.db.R.WithContext(ctx).Where("customer_id = ?", customerID).Order("name").Find(&slos).Error; err != nil {
		return nil, fmt.Errorf("list SLOs of customer %d: %w", customerID, err)
	}
	return slos, nil
}

// CreateSLO adds an SLO to a customer as the operator; see CreateSLOAs.
func (s *Store) CreateSLO(ctx context.Context, customerID uint, in SLOInput) (*SLO, error) {
	return s.CreateSLOAs(ctx, nil, customerID, in)
}

// UpsertSLO creates the SLO or updates the one with the same name, as the
// operator; see UpsertSLOAs.
func (s *Store) UpsertSLO(ctx context.Context, customerID uint, in SLOInput) (*SLO, bool, error) {
	return s.UpsertSLOAs(ctx, nil, customerID, in)
}

// UpsertSLOAs creates the SLO or updates the one with the same name for an
// actor who may manage customers (nil: the operator), records what changed,
// and says whether it was created.
func (s *Store) UpsertSLOAs(ctx context.Context, actor *User, customerID uint, in SLOInput) (*SLO, bool, error) {
	if err := mayManageCustomers(actor); err != nil {
		return nil, false, err
	}
	in.Name = strings.TrimSpace(in.Name)
	if err := in.validate(); err != nil {
		return nil, false, err
	}
	var slo SLO
	created := false
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Where("customer_id = ? AND name = ?", customerID, in.Name).Limit(1).Find(&slo)
		if res.Error != nil {
			return fmt.Errorf("find SLO %q: %w", in.Name, res.Error)
		}
		next := sloFromInput(customerID, in)
		audit := newAudit(tx, actor, s.Now())
		if res.RowsAffected == 0 {
			created = true
			slo = next
			if err := tx.Create(&slo).Error; err != nil {
				return fmt.Errorf("create SLO %q: %w", in.Name, err)
			}
			return audit.record(EntitySLO, slo.ID, 0, ActionCreated, diff(nil, sloFields(&slo)), "OpenSLO import")
		}
		before := sloFields(&slo)
		next.ID, next.CreatedAt = slo.ID, slo.CreatedAt
		if in.SLI == (SLIInput{}) {
			next.SLIGoodQuery, next.SLIBadQuery, next.SLITotalQuery = slo.SLIGoodQuery, slo.SLIBadQuery, slo.SLITotalQuery
		}
		slo = next
		ch := diff(before, sloFields(&slo))
		if len(ch) == 0 {
			return nil
		}
		if err := tx.Save(&slo).Error; err != nil {
			return fmt.Errorf("update SLO %q: %w", in.Name, err)
		}
		return audit.record(EntitySLO, slo.ID, 0, ActionUpdated, ch, "OpenSLO import")
	})
	if err != nil {
		return nil, false, err
	}
	return &slo, created, nil
}

func sloFromInput(customerID uint, in SLOInput) SLO {
	display := in.DisplayName
	if display == "" {
		display = in.Name
	}
	method := in.BudgetingMethod
	if method == "" {
		method = "Occurrences"
	}
	return SLO{CustomerID: customerID, Name: in.Name, DisplayName: display, Description: in.Description,
		Target: in.Target, WindowDays: in.WindowDays, BudgetingMethod: method, CalendarDuration: in.CalendarDuration,
		CalendarStart: in.CalendarStart, CalendarTimeZone: in.CalendarTimeZone,
		SLIGoodQuery: in.SLI.GoodQuery, SLIBadQuery: in.SLI.BadQuery, SLITotalQuery: in.SLI.TotalQuery}
}
