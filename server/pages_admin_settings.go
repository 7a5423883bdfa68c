package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/notify"
)

// The admins' settings page: the share-safety check, the reminder policy
// and the due-date defaults, each its own form saved through the same
// domain calls as PUT /api/v1/settings/…

type settingsData struct {
	Share      shareSettingsForm
	Reminders  remindersForm
	DueDays    dueDaysForm
	Weekdays   []string
	Priorities []string
}

// shareSettingsForm holds each list as the textarea shows it, one a line.
type shareSettingsForm struct {
	InternalSuffixes, HostPatterns, Vendors, Allow, TicketPrefixes, OwnNames string
	Errors                                                                   map[string]string
}

type remindersForm struct {
	DigestDay                                                  string
	HeadsUpDays, EscalateAfterDays, WorkStartHour, WorkEndHour string
	Errors                                                     map[string]string
}

type dueDaysForm struct {
	Days   map[string]string // by priority; empty: no default due date
	Errors map[string]string
}

var digestDays = []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

func (s *Server) settingsPage(c echo.Context) error {
	return s.renderSettings(c, http.StatusOK, settingsData{})
}

// renderSettings shows each form as saved, unless d already holds it as
// typed (a refused form).
func (s *Server) renderSettings(c echo.Context, status int, d settingsData) error {
	ctx := c.Request().Context()
	if d.Share.Errors == nil {
		st, err := s.store.ShareCheckSettings(ctx)
		if err != nil {
			return err
		}
		d.Share = shareSettingsForm{InternalSuffixes: strings.Join(st.InternalSuffixes, "\n"),
			HostPatterns: strings.Join(st.HostPatterns, "\n"), Vendors: strings.Join(st.Vendors, "\n"),
			Allow: strings.Join(st.Allow, "\n"), TicketPrefixes: strings.Join(st.TicketPrefixes, "\n"),
			OwnNames: strings.Join(st.OwnNames, "\n")}
	}
	if d.Reminders.Errors == nil {
		p, err := notify.LoadPolicy(ctx, s.store)
		if err != nil {
			return err
		}
		d.Reminders = remindersForm{DigestDay: p.DigestDay, HeadsUpDays: strconv.Itoa(p.HeadsUpDays),
			EscalateAfterDays: strconv.Itoa(p.EscalateAfterDays), WorkStartHour: strconv.Itoa(p.WorkStartHour),
			WorkEndHour: strconv.Itoa(p.WorkEndHour)}
	}
	if d.DueDays.Errors == nil {
		days, err := s.store.DueDays(ctx)
		if err != nil {
			return err
		}
		d.DueDays.Days = map[string]string{}
		for p, n := range days {
			d.DueDays.Days[p] = strconv.Itoa(n)
		}
	}
	d.Weekdays, d.Priorities = digestDays, models.Priorities
	return s.render(c, status, "admin_settings", "Settings", "settings", d)
}

func (s *Server) saveShareSettingsForm(c echo.Context) error {
	form := shareSettingsForm{InternalSuffixes: c.FormValue("internal_suffixes"), HostPatterns: c.FormValue("host_patterns"),
		Vendors: c.FormValue("vendors"), Allow: c.FormValue("allow"), TicketPrefixes: c.FormValue("ticket_prefixes"),
		OwnNames: c.FormValue("own_names")}
	st := models.ShareSettings{InternalSuffixes: oneALine(form.InternalSuffixes), HostPatterns: oneALine(form.HostPatterns),
		Vendors: oneALine(form.Vendors), Allow: oneALine(form.Allow), TicketPrefixes: oneALine(form.TicketPrefixes),
		OwnNames: oneALine(form.OwnNames)}
	err := s.store.SaveShareCheckSettings(c.Request().Context(), currentUser(c), st)
	if err == nil {
		return s.redirectWith(c, "/admin/settings#share-check", "Share-check settings saved: the next check uses them.")
	}
	fields, status, ok := formFailure(err)
	if !ok {
		return err
	}
	form.Errors = fields
	return s.renderSettings(c, status, settingsData{Share: form})
}

func (s *Server) saveRemindersForm(c echo.Context) error {
	f := newForm(c)
	form := remindersForm{DigestDay: f.str("digest_day"), HeadsUpDays: f.str("heads_up_days"),
		EscalateAfterDays: f.str("escalate_after_days"), WorkStartHour: f.str("work_start_hour"), WorkEndHour: f.str("work_end_hour")}
	p := notify.Policy{DigestDay: form.DigestDay, HeadsUpDays: f.whole("heads_up_days"),
		EscalateAfterDays: f.whole("escalate_after_days"), WorkStartHour: f.whole("work_start_hour"), WorkEndHour: f.whole("work_end_hour")}
	// A value that is not a number is never saved as 0: the form is
	// refused with it, and with whatever else the policy refuses.
	var err error
	if len(f.bad) > 0 {
		err = p.Validate()
	} else if err = notify.SavePolicy(c.Request().Context(), s.store, currentUser(c), p); err == nil {
		return s.redirectWith(c, "/admin/settings#reminders", "Reminder policy saved: the next pass uses it.")
	}
	fields, status, ok := formFailure(err)
	if err != nil && !ok {
		return err
	}
	if err == nil {
		status = http.StatusBadRequest
	}
	form.Errors = f.merge(fields)
	return s.renderSettings(c, status, settingsData{Reminders: form})
}

func (s *Server) saveDueDaysForm(c echo.Context) error {
	form := dueDaysForm{Days: map[string]string{}}
	days := map[string]int{}
	bad := map[string]string{}
	for _, p := range models.Priorities {
		v := strings.TrimSpace(c.FormValue("due_" + p))
		form.Days[p] = v
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			bad[p] = "must be a whole number of days, or empty for none"
			continue
		}
		days[p] = n
	}
	var err error
	if len(bad) > 0 {
		err = models.ValidateDueDays(days)
	} else if err = s.store.SaveDueDays(c.Request().Context(), currentUser(c), days); err == nil {
		return s.redirectWith(c, "/admin/settings#due-dates", "Due-date defaults saved: new items get them from now on.")
	}
	fields, status, ok := formFailure(err)
	if err != nil && !ok {
		return err
	}
	if err == nil {
		fields, status = map[string]string{}, http.StatusBadRequest
	}
	for k, v := range bad {
		fields[k] = v
	}
	form.Errors = fields
	return s.renderSettings(c, status, settingsData{DueDays: form})
}

// oneALine reads a list of one value a line, kept whole: a host pattern
// or a vendor's name may hold a comma.
func oneALine(v string) []string {
	var out []string
	for _, s := range strings.Split(strings.ReplaceAll(v, "\r", ""), "\n") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
