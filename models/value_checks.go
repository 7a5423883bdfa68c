package models

import (
	"strings"
	"time"
)

// Dates and times outside these bounds are typing mistakes (a due date in
// year 1, an incident in 2099), refused with what is allowed.
const (
	minYear = 2000
	maxYear = 2100
	// startSlack is how far in the future an incident may start: clocks
	// differ, incidents are not planned.
	startSlack = 24 * time.Hour
)

// dueDate checks a due date against the years allowed.
func (f fieldErrors) dueDate(field string, d *Date) {
	if d != nil && (d.t.Year() < minYear || d.t.Year() > maxYear) {
		f.add(field, "must be between 2000-01-01 and 2100-12-31")
	}
}

// incidentTimes checks the times of a postmortem: no earlier than 2000,
// and no later than a day from now.
func (f fieldErrors) incidentTimes(now time.Time, times map[string]*time.Time) {
	latest := now.Add(startSlack)
	for name, t := range times {
		switch {
		case t == nil:
		case t.Year() < minYear:
			f.add(name, "must not be before 2000-01-01")
		case t.After(latest):
			f.add(name, "must not be in the future (at most a day from now, "+latest.UTC().Format(time.RFC3339)+")")
		}
	}
}

// ValueProblems are the problems of a body's values that need no database:
// enumerations, required and one-line text. The server calls them when a
// body also has fields of the wrong type or unknown fields, so that one
// answer names every bad field (server/decode.go); the store runs the same
// rules again, with the postmortem, when the body decoded.

// ValueProblems of an action item to create, with the store's defaults.
func (in *ItemInput) ValueProblems() map[string]string {
	it := ActionItem{Title: strings.TrimSpace(in.Title), Description: in.Description, Owner: in.Owner,
		Assignee: strings.TrimSpace(in.Assignee), Type: in.Type, Priority: in.Priority, Status: in.Status,
		DueDate: in.DueDate}
	if it.Owner == "" {
		it.Owner = OwnerProvider
	}
	if it.Status == "" {
		it.Status = StatusOpen
	}
	f := it.validateValues()
	f.dueDate("due_date", in.DueDate)
	return f
}

// ValueProblems of the fields an item patch sets.
func (p *ItemPatch) ValueProblems() map[string]string {
	f := fieldErrors{}
	if p.Title.Set {
		f.required("title", p.Title.V, 300)
	}
	if p.Description.Set {
		f.maxLen("description", p.Description.V, maxText)
	}
	if p.Assignee.Set {
		f.line("assignee", p.Assignee.V, 200)
	}
	f.optEnum("owner", p.Owner, Owners)
	f.optEnum("type", p.Type, ItemTypes)
	f.optEnum("priority", p.Priority, Priorities)
	f.optEnum("status", p.Status, ItemStatuses)
	if p.CustomerVisible.Set && p.CustomerVisible.Null {
		f.add("customer_visible", "cannot be null")
	}
	if p.DueDate.Set && !p.DueDate.Null {
		f.dueDate("due_date", &p.DueDate.V)
	}
	return f
}

// ValueProblems of a postmortem to create, with the store's defaults.
func (in *PostmortemInput) ValueProblems() map[string]string {
	f := fieldErrors{}
	f.required("title", strings.TrimSpace(in.Title), 300)
	if in.Visibility != "" {
		f.oneOf("visibility", in.Visibility, Visibilities)
	}
	f.oneOf("severity", in.Severity, Severities)
	if in.Status != "" {
		f.oneOf("status", in.Status, PMStatuses)
	}
	pm := Postmortem{Summary: in.Summary, Impact: in.Impact, RootCauses: in.RootCauses, Trigger: in.Trigger,
		Resolution: in.Resolution, Detection: in.Detection, WentWell: in.WentWell, WentWrong: in.WentWrong,
		GotLucky: in.GotLucky, Timeline: in.Timeline, SupportingLinks: in.SupportingLinks,
		ExternalSummary: in.ExternalSummary, ExternalImpact: in.ExternalImpact,
		ExternalCause: in.ExternalCause, ExternalNextSteps: in.ExternalNextSteps}
	for name, v := range pm.textFields() {
		f.maxLen(name, *v, maxText)
	}
	return f
}

// ValueProblems of the fields a postmortem patch sets.
func (p *PostmortemPatch) ValueProblems() map[string]string {
	f := fieldErrors{}
	if p.Title.Set {
		f.required("title", strings.TrimSpace(p.Title.V), 300)
	}
	f.optEnum("visibility", p.Visibility, Visibilities)
	f.optEnum("severity", p.Severity, Severities)
	f.optEnum("status", p.Status, PMStatuses)
	for name, o := range p.textFields() {
		if o.Set {
			f.maxLen(name, o.V, maxText)
		}
	}
	return f
}

// optEnum checks an enumeration a patch may set.
func (f fieldErrors) optEnum(field string, o Opt[string], allowed []string) {
	switch {
	case !o.Set:
	case o.Null:
		f.add(field, "cannot be null")
	default:
		f.oneOf(field, o.V, allowed)
	}
}
