package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/amendsdev/amends/models"
)

// The admin pages' forms re-render with every refused field named and the
// typed values kept; these read them and sort out what a form can show.

// formFailure is a refused form's problems by field ("" for one about the
// whole form) and the status to re-render with. ok is false for errors a
// form cannot show (missing, forbidden, internal): they go to the error
// page as any other.
func formFailure(err error) (map[string]string, int, bool) {
	apiErr := toAPIError(err)
	if apiErr == nil || apiErr.Status >= 500 || apiErr.Status == http.StatusNotFound || apiErr.Status == http.StatusForbidden {
		return nil, 0, false
	}
	fields := map[string]string{}
	for k, v := range apiErr.Fields {
		fields[k] = v
	}
	if len(fields) == 0 {
		fields[""] = apiErr.Message
	}
	return fields, apiErr.Status, true
}

// whole reads a whole number; empty is 0, left to the domain to refuse.
func (f *formReader) whole(name string) int {
	v := strings.TrimSpace(f.c.FormValue(name))
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		f.bad[name] = "must be a whole number"
	}
	return n
}

// lines splits a textarea of one value a line (commas also separate),
// dropping blanks.
func lines(v string) []string {
	var out []string
	for _, s := range strings.FieldsFunc(v, func(r rune) bool { return r == '\n' || r == ',' || r == '\r' }) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// customerForm reads the customer form into the API's input.
func customerForm(f *formReader) models.CustomerInput {
	return models.CustomerInput{Name: f.str("name"), Slug: strings.TrimSpace(f.str("slug")),
		TimeZone: strings.TrimSpace(f.str("time_zone")), Contacts: lines(f.str("contacts"))}
}

// sloForm reads the SLO form into the API's input.
func sloForm(f *formReader) models.SLOInput {
	in := models.SLOInput{Name: f.str("name"), DisplayName: strings.TrimSpace(f.str("display_name")),
		Description: f.str("description"), WindowDays: f.whole("window_days"),
		BudgetingMethod: f.str("budgeting_method"), CalendarDuration: strings.TrimSpace(f.str("calendar_duration")),
		CalendarStart: strings.TrimSpace(f.str("calendar_start")), CalendarTimeZone: strings.TrimSpace(f.str("calendar_time_zone"))}
	if strings.TrimSpace(f.str("target")) != "" {
		in.Target = f.number("target")
	}
	return in
}

// merge adds the form's unreadable values to the domain's refusals, so
// that one answer names every bad field.
func (f *formReader) merge(fields map[string]string) map[string]string {
	if fields == nil {
		fields = map[string]string{}
	}
	for k, v := range f.bad {
		fields[k] = v
	}
	return fields
}
