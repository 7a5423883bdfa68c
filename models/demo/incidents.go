package demo

import (
	"fmt"
	"time"

	"github.com/amendsdev/amends/models"
)

// itemSeed is an action item; due is in days from now (negative: overdue),
// and moves are status changes, days before now.
type itemSeed struct {
	title, owner, customer, assignee, typ, priority string
	due                                             int
	internal                                        bool
	moves                                           []move
}

type move struct {
	daysAgo int
	status  string
}

type incidentSeed struct {
	daysAgo   int
	minutes   int
	in        models.PostmortemInput
	customers []string
	publish   bool
	impacts   map[string]float64 // "slug/slo" -> bad minutes
	items     []itemSeed
}

func (d *seeder) incidents() error {
	for _, inc := range incidents {
		if _, _, err := d.incident(inc); err != nil {
			return fmt.Errorf("demo postmortem %q: %w", inc.in.Title, err)
		}
	}
	return d.publicIncidents()
}

// incident writes one postmortem with its impacts and items, publishes it
// if it should be, and moves its items; it returns the postmortem and its
// items in the seed's order.
func (d *seeder) incident(inc incidentSeed) (*models.Postmortem, []*models.ActionItem, error) {
	start := d.at(inc.daysAgo, 13)
	detected, resolved := start.Add(6*time.Minute), start.Add(time.Duration(inc.minutes)*time.Minute)
	in := inc.in
	in.StartedAt, in.DetectedAt, in.ResolvedAt = &start, &detected, &resolved
	for _, slug := range inc.customers {
		in.CustomerIDs = append(in.CustomerIDs, d.customers[slug].ID)
	}
	owner := d.staff["sam@amends.example"]
	d.at(inc.daysAgo, 15)
	pm, err := d.s.CreatePostmortem(d.ctx, owner, in)
	if err != nil {
		return nil, nil, err
	}
	for key, minutes := range inc.impacts {
		if _, err := d.s.CreateImpact(d.ctx, owner, pm.ID, models.ImpactInput{SLOID: d.slos[key].ID, BadMinutes: minutes}); err != nil {
			return nil, nil, err
		}
	}
	created := make([]*models.ActionItem, len(inc.items))
	for i, it := range inc.items {
		if created[i], err = d.item(pm, owner, it); err != nil {
			return nil, nil, err
		}
	}
	if inc.publish {
		d.at(inc.daysAgo-1, 10)
		if pm, _, err = d.s.Publish(d.ctx, d.admin, pm.ID, nil); err != nil {
			return nil, nil, err
		}
	}
	for i, it := range inc.items {
		for _, m := range it.moves {
			d.at(m.daysAgo, 11)
			if _, err := d.s.UpdateItem(d.ctx, owner, created[i].ID, models.ItemPatch{Status: models.Some(m.status)}); err != nil {
				return nil, nil, fmt.Errorf("move item %q: %w", it.title, err)
			}
		}
	}
	return pm, created, nil
}

func (d *seeder) item(pm *models.Postmortem, owner *models.User, it itemSeed) (*models.ActionItem, error) {
	due := models.DateOf(d.now).AddDays(it.due)
	visible := !it.internal
	in := models.ItemInput{Title: it.title, Owner: it.owner, Assignee: it.assignee, Type: it.typ,
		Priority: it.priority, DueDate: &due, CustomerVisible: &visible}
	if it.customer != "" {
		in.CustomerID = &d.customers[it.customer].ID
	}
	item, err := d.s.CreateItem(d.ctx, owner, pm.ID, in)
	if err != nil {
		return nil, fmt.Errorf("item %q: %w", it.title, err)
	}
	return item, nil
}
