package server

import (
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

// Forms post the same fields the API takes; these read them into the
// domain's inputs, collecting every unreadable value by field name.

type formReader struct {
	c   echo.Context
	bad map[string]string
}

func newForm(c echo.Context) *formReader { return &formReader{c: c, bad: map[string]string{}} }

func (f *formReader) str(name string) string { return f.c.FormValue(name) }

// time reads a datetime-local value, taken as UTC; empty is nil.
func (f *formReader) time(name string) *time.Time {
	v := strings.TrimSpace(f.c.FormValue(name))
	if v == "" {
		return nil
	}
	t, err := time.Parse("2006-01-02T15:04", v)
	if err != nil {
		f.bad[name] = "must be a date and time"
		return nil
	}
	return &t
}

func (f *formReader) date(name string) *models.Date {
	v := strings.TrimSpace(f.c.FormValue(name))
	if v == "" {
		return nil
	}
	d, err := models.ParseDate(v)
	if err != nil {
		f.bad[name] = "must be a date YYYY-MM-DD"
		return nil
	}
	return &d
}

func (f *formReader) id(name string) *uint {
	v := strings.TrimSpace(f.c.FormValue(name))
	if v == "" {
		return nil
	}
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil {
		f.bad[name] = "must be chosen from the list"
		return nil
	}
	id := uint(n)
	return &id
}

func (f *formReader) number(name string) float64 {
	n, err := strconv.ParseFloat(strings.TrimSpace(f.c.FormValue(name)), 64)
	if err != nil {
		f.bad[name] = "must be a number"
	}
	return n
}

func (f *formReader) ids(name string) []uint {
	var out []uint
	for _, v := range f.c.Request().Form[name] {
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			f.bad[name] = "must be chosen from the list"
			continue
		}
		out = append(out, uint(n))
	}
	return out
}

func (f *formReader) err() error {
	if len(f.bad) == 0 {
		return nil
	}
	return &models.ValidationError{Fields: f.bad}
}

// postmortemForm reads the editor's fields.
func postmortemForm(c echo.Context) (models.PostmortemInput, error) {
	f := newForm(c)
	if _, err := c.FormParams(); err != nil {
		return models.PostmortemInput{}, err
	}
	in := models.PostmortemInput{
		Title: f.str("title"), Visibility: f.str("visibility"), Severity: f.str("severity"), Status: f.str("status"),
		CustomerIDs: f.ids("customer_ids"), StartedAt: f.time("started_at"), DetectedAt: f.time("detected_at"),
		ResolvedAt: f.time("resolved_at"), Summary: f.str("summary"), Impact: f.str("impact"),
		RootCauses: f.str("root_causes"), Trigger: f.str("trigger"), Resolution: f.str("resolution"),
		Detection: f.str("detection"), WentWell: f.str("went_well"), WentWrong: f.str("went_wrong"),
		GotLucky: f.str("got_lucky"), Timeline: f.str("timeline"), SupportingLinks: f.str("supporting_links"),
		ExternalSummary: f.str("external_summary"), ExternalImpact: f.str("external_impact"),
		ExternalCause: f.str("external_cause"), ExternalNextSteps: f.str("external_next_steps"),
	}
	return in, f.err()
}

// patchOf turns a full editor form into a patch that sets every field.
func patchOf(in models.PostmortemInput) models.PostmortemPatch {
	t := func(v *time.Time) models.Opt[time.Time] {
		if v == nil {
			return models.Opt[time.Time]{Set: true, Null: true}
		}
		return models.Some(*v)
	}
	return models.PostmortemPatch{
		Title: models.Some(in.Title), Visibility: models.Some(in.Visibility), Severity: models.Some(in.Severity),
		Status: models.Some(in.Status), CustomerIDs: models.Some(in.CustomerIDs),
		StartedAt: t(in.StartedAt), DetectedAt: t(in.DetectedAt), ResolvedAt: t(in.ResolvedAt),
		Summary: models.Some(in.Summary), Impact: models.Some(in.Impact), RootCauses: models.Some(in.RootCauses),
		Trigger: models.Some(in.Trigger), Resolution: models.Some(in.Resolution), Detection: models.Some(in.Detection),
		WentWell: models.Some(in.WentWell), WentWrong: models.Some(in.WentWrong), GotLucky: models.Some(in.GotLucky),
		Timeline: models.Some(in.Timeline), SupportingLinks: models.Some(in.SupportingLinks),
		ExternalSummary: models.Some(in.ExternalSummary), ExternalImpact: models.Some(in.ExternalImpact),
		ExternalCause: models.Some(in.ExternalCause), ExternalNextSteps: models.Some(in.ExternalNextSteps),
	}
}

// itemForm reads the add-item form.
func itemForm(c echo.Context) (models.ItemInput, error) {
	f := newForm(c)
	visible := c.FormValue("internal") == ""
	in := models.ItemInput{
		Title: f.str("title"), Description: f.str("description"), Owner: f.str("owner"),
		CustomerID: f.id("customer_id"), Assignee: f.str("assignee"), Type: f.str("type"),
		Priority: f.str("priority"), DueDate: f.date("due_date"), CustomerVisible: &visible,
	}
	if in.Owner == models.OwnerProvider {
		in.CustomerID = nil
	}
	return in, f.err()
}
