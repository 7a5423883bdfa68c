package models

import (
	"context"
	"fmt"
	"time"
)

// ReminderData is what a reminder pass reads: every open item with the
// postmortem it belongs to, the users and the customers. It is a system
// read for the reminder job, not an actor's: the job decides per recipient
// what each may see, with the same rules as CanSeePostmortem and CanSeeItem.
type ReminderData struct {
	Items       []ActionItem
	Postmortems map[uint]*Postmortem // by id, with the ids of the customers it names
	Users       []User
	Customers   []Customer
	// LateDrafts are shared and joint postmortems still unpublished more
	// than a day after their incident was resolved.
	LateDrafts []Postmortem
}

// PublishAim is how soon after resolution a shared postmortem should reach
// its customers.
const PublishAim = 24 * time.Hour

// LoadReminderData reads the open items and what their reminders need.
func (s *Store) LoadReminderData(ctx context.Context) (*ReminderData, error) {
	q := s.db.R.WithContext(ctx)
	d := &ReminderData{Postmortems: map[uint]*Postmortem{}}
	err := q.Select("id", "postmortem_id", "title", "owner", "customer_id", "assignee", "priority", "status",
		"due_date", "customer_visible").Where("status IN ?", OpenStatuses).Order("id").Find(&d.Items).Error
	if err != nil {
		return nil, fmt.Errorf("reminders: load open items: %w", err)
	}
	var pms []Postmortem
	if err := q.Select("id", "title", "visibility", "status", "owner_id").Find(&pms).Error; err != nil {
		return nil, fmt.Errorf("reminders: load postmortems: %w", err)
	}
	for i := range pms {
		d.Postmortems[pms[i].ID] = &pms[i]
	}
	var links []PostmortemCustomer
	if err := q.Find(&links).Error; err != nil {
		return nil, fmt.Errorf("reminders: load postmortem customers: %w", err)
	}
	for _, l := range links {
		if pm := d.Postmortems[l.PostmortemID]; pm != nil {
			pm.Customers = append(pm.Customers, Customer{ID: l.CustomerID})
		}
	}
	if err := q.Select("id", "email", "name", "role", "customer_id", "time_zone").Find(&d.Users).Error; err != nil {
		return nil, fmt.Errorf("reminders: load users: %w", err)
	}
	if err := q.Find(&d.Customers).Error; err != nil {
		return nil, fmt.Errorf("reminders: load customers: %w", err)
	}
	err = q.Select("id", "title", "visibility", "status", "owner_id", "resolved_at").
		Where("visibility IN ? AND status <> ? AND owner_id IS NOT NULL AND resolved_at < ?",
			[]string{VisibilityShared, VisibilityJoint}, PMPublished, s.Now().Add(-PublishAim)).
		Order("resolved_at").Find(&d.LateDrafts).Error
	if err != nil {
		return nil, fmt.Errorf("reminders: load late drafts: %w", err)
	}
	return d, nil
}
