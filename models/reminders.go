package models

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// ReminderData is what a reminder pass holds from start to end: the
// postmortems, users and customers, which grow with incidents and people
// rather than with items. The open items themselves are streamed
// (EachOpenItems) and read back per recipient (OpenItemsByID), so that a
// pass never holds them all. It is a system read for the reminder job, not
// an actor's: the job decides per recipient what each may see, with the
// same rules as CanSeePostmortem and CanSeeItem.
type ReminderData struct {
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

// ReminderBatch is how many open items a reminder pass reads at a time.
const ReminderBatch = 5000

// stillOpen keeps the open items. It is written as an expression so that
// the planner finds the rows by id: through the status index, each batch
// would visit every open item and sort them again.
const stillOpen = "status || '' IN ?"

// reminderColumns are the item fields that decide who is reminded of an
// item, in which section, and that the reminder shows; scanReminderItems
// reads them in this order.
var reminderColumns = []string{"id", "postmortem_id", "title", "owner", "customer_id", "assignee", "priority", "status",
	"due_date", "customer_visible"}

// LoadReminderData reads what the reminders of every open item need.
func (s *Store) LoadReminderData(ctx context.Context) (*ReminderData, error) {
	q := s.db.R.WithContext(ctx)
	d := &ReminderData{Postmortems: map[uint]*Postmortem{}}
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
	err := q.Select("id", "title", "visibility", "status", "owner_id", "resolved_at").
		Where("visibility IN ? AND status <> ? AND owner_id IS NOT NULL AND resolved_at < ?",
			[]string{VisibilityShared, VisibilityJoint, VisibilityPublic}, PMPublished, s.Now().Add(-PublishAim)).
		Order("resolved_at").Find(&d.LateDrafts).Error
	if err != nil {
		return nil, fmt.Errorf("reminders: load late drafts: %w", err)
	}
	return d, nil
}

// EachOpenItems calls fn with the open items in id order, ReminderBatch at
// a time, paging by id. The batches share one slice that fn must not keep.
func (s *Store) EachOpenItems(ctx context.Context, fn func([]ActionItem) error) error {
	batch := make([]ActionItem, 0, ReminderBatch)
	var after uint
	for {
		rows, err := s.db.R.WithContext(ctx).Model(&ActionItem{}).Select(reminderColumns).Where("id > ?", after).
			Where(stillOpen, OpenStatuses).Order("id").Limit(ReminderBatch).Rows()
		if err == nil {
			batch, err = scanReminderItems(rows, batch[:0])
		}
		if err != nil {
			return fmt.Errorf("reminders: load open items after %d: %w", after, err)
		}
		if len(batch) == 0 {
			return nil
		}
		if err := fn(batch); err != nil {
			return err
		}
		if len(batch) < ReminderBatch {
			return nil
		}
		after = batch[len(batch)-1].ID
	}
}

// OpenItemsByID reads back, in id order, those of the given items that are
// still open, ReminderBatch ids per query.
func (s *Store) OpenItemsByID(ctx context.Context, ids []uint) ([]ActionItem, error) {
	out := make([]ActionItem, 0, len(ids))
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), ReminderBatch)]
		ids = ids[len(chunk):]
		rows, err := s.db.R.WithContext(ctx).Model(&ActionItem{}).Select(reminderColumns).Where("id IN ?", chunk).
			Where(stillOpen, OpenStatuses).Order("id").Rows()
		if err == nil {
			out, err = scanReminderItems(rows, out)
		}
		if err != nil {
			return nil, fmt.Errorf("reminders: read back %d open items: %w", len(chunk), err)
		}
	}
	return out, nil
}

// scanReminderItems appends the rows of a reminderColumns query to out,
// field by field: a pass reads every open item at least once, and GORM's
// reflective scan about doubled the time of those reads.
func scanReminderItems(rows *sql.Rows, out []ActionItem) ([]ActionItem, error) {
	defer rows.Close()
	for rows.Next() {
		var it ActionItem
		if err := rows.Scan(&it.ID, &it.PostmortemID, &it.Title, &it.Owner, &it.CustomerID, &it.Assignee, &it.Priority,
			&it.Status, &it.DueDate, &it.CustomerVisible); err != nil {
			return out, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}
