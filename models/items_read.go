package models

import (
	"database/sql"
	"fmt"

	"gorm.io/gorm"
)

// getItemAndPostmortem loads an item the actor can see, with the part of
// its postmortem that the access policy and an item's validation read
// (accessColumns and the ids of the customers it names), not its text,
// which can be long. Whether the actor may see them is decided by the
// policy in Go (policy.go), on the loaded values.
func (s *Store) getItemAndPostmortem(q *gorm.DB, actor *User, id uint) (*ActionItem, *Postmortem, error) {
	it, err := loadItem(q, id)
	if err != nil {
		return nil, nil, notFound(err, "action item", id)
	}
	pm, err := loadPostmortemAccess(q, it.PostmortemID)
	if err != nil {
		return nil, nil, notFound(err, "action item", id)
	}
	if !actor.CanSeeItem(it) || !actor.CanSeePostmortem(pm) {
		return nil, nil, fmt.Errorf("action item %d: %w", id, ErrNotFound)
	}
	return it, pm, nil
}

// itemByID reads every column of one live item: an archived one
// (items_archive.go) is not found, as GORM's reads do not find it.
var itemByID = "SELECT " + itemRead(itemFields).columns() +
	" FROM action_items WHERE action_items.id = ? AND action_items.archived_at IS NULL"

// loadItem reads one item, or gorm.ErrRecordNotFound.
func loadItem(q *gorm.DB, id uint) (*ActionItem, error) {
	rows, err := q.Raw(itemByID, id).Rows()
	if err != nil {
		return nil, err
	}
	items, err := itemRead(itemFields).scan(rows)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, gorm.ErrRecordNotFound
	}
	return &items[0], nil
}

// postmortemAccess reads what deciding access to a postmortem and
// validating its items read: a few columns of a postmortem that is not
// deleted, not its text, which can be long, and the ids of the customers
// it names, one row per customer.
const postmortemAccess = `SELECT p.id, p.status, p.visibility, p.started_at, pc.customer_id
FROM postmortems p LEFT JOIN postmortem_customers pc ON pc.postmortem_id = p.id
WHERE p.id = ? AND p.deleted_at IS NULL ORDER BY pc.customer_id`

// loadPostmortemAccess loads postmortemAccess, or gorm.ErrRecordNotFound.
func loadPostmortemAccess(q *gorm.DB, id uint) (*Postmortem, error) {
	rows, err := q.Raw(postmortemAccess, id).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var pm *Postmortem
	for rows.Next() {
		var p Postmortem
		var customer sql.Null[int64]
		if err := rows.Scan(&p.ID, &p.Status, &p.Visibility, &p.StartedAt, &customer); err != nil {
			return nil, fmt.Errorf("load postmortem %d: %w", id, err)
		}
		if pm == nil {
			pm = &p
		}
		if customer.Valid {
			pm.Customers = append(pm.Customers, Customer{ID: uint(customer.V)})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load postmortem %d: %w", id, err)
	}
	if pm == nil {
		return nil, gorm.ErrRecordNotFound
	}
	return pm, nil
}
