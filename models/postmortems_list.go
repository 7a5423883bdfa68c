package models

import (
	"context"
	"fmt"
	"strings"
)

// PostmortemFilter narrows a postmortem list.
type PostmortemFilter struct {
	Status     string
	Visibility string
	Severity   string
	CustomerID *uint
	// Query is words in the title or summary, case-insensitive; for a
	// customer user, in the title or the external fields, what it reads.
	Query string
}

var postmortemSorts = []sortField[Postmortem]{
	{name: "id", expr: "postmortems.id", value: func(p *Postmortem) string { return "" }},
	{name: "started_at", expr: "COALESCE(postmortems.started_at, postmortems.created_at)", isTime: true,
		value: func(p *Postmortem) string {
			if p.StartedAt != nil {
				return timeValue(*p.StartedAt)
			}
			return timeValue(p.CreatedAt)
		}},
	{name: "updated_at", expr: "postmortems.updated_at", isTime: true, value: func(p *Postmortem) string { return timeValue(p.UpdatedAt) }},
	{name: "title", expr: "postmortems.title", value: func(p *Postmortem) string { return p.Title }},
}

// Validate names every bad value of the filter.
func (f PostmortemFilter) Validate() error {
	bad := fieldErrors{}
	if f.Status != "" {
		bad.oneOf("status", f.Status, PMStatuses)
	}
	if f.Visibility != "" {
		bad.oneOf("visibility", f.Visibility, Visibilities)
	}
	if f.Severity != "" {
		bad.oneOf("severity", f.Severity, Severities)
	}
	return bad.err()
}

// ListPostmortems lists the postmortems the actor can see, newest first by
// default.
func (s *Store) ListPostmortems(ctx context.Context, actor *User, f PostmortemFilter, p Page) ([]Postmortem, string, error) {
	if err := f.Validate(); err != nil {
		return nil, "", err
	}
	q := actor.scopePostmortems(s.db.R.WithContext(ctx).Model(&Postmortem{}))
	if f.Status != "" {
		q = q.Where("postmortems.status = ?", f.Status)
	}
	if f.Visibility != "" {
		q = q.Where("postmortems.visibility = ?", f.Visibility)
	}
	if f.Severity != "" {
		q = q.Where("postmortems.severity = ?", f.Severity)
	}
	if f.CustomerID != nil {
		q = actor.scopeCustomerFilter(q, *f.CustomerID).
			Where("postmortems.id IN (SELECT postmortem_id FROM postmortem_customers WHERE customer_id = ?)", *f.CustomerID)
	}
	columns := searchedColumns(actor)
	for _, w := range strings.Fields(f.Query) {
		// LOWER on both sides: LIKE is case-insensitive on SQLite only.
		like := "%" + escapeLike(strings.ToLower(w)) + "%"
		conds := make([]string, len(columns))
		args := make([]any, len(columns))
		for i, c := range columns {
			conds[i], args[i] = "LOWER("+c+") LIKE ? ESCAPE '\\'", like
		}
		q = q.Where("("+strings.Join(conds, " OR ")+")", args...)
	}
	if p.Sort == "" {
		p.Sort = "-started_at"
	}
	q = q.Preload("Customers")
	pms, next, err := paginate(q, p, "postmortems.id", func(p *Postmortem) uint { return p.ID }, postmortemSorts, findAll[Postmortem])
	if err != nil {
		return nil, "", fmt.Errorf("list postmortems: %w", err)
	}
	return pms, next, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
