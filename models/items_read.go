package models

import (
	"fmt"

	"gorm.io/gorm"
)

// getItemAndPostmortem loads an item the actor can see, with the part of
// its postmortem that the access policy and an item's validation read
// (accessColumns and the ids of the customers it names), not its text,
// which can be long. Whether the actor may see them is decided by the
// policy in Go (policy.go), on the loaded values.
func (s *Store) getItemAndPostmortem(q *gorm.DB, actor *User, id uint) (*ActionItem, *Postmortem, error) {
	var it ActionItem
	if err := q.First(&it, id).Error; err != nil {
		return nil, nil, notFound(err, "action item", id)
	}
	pm, err := loadPostmortemAccess(q, it.PostmortemID)
	if err != nil {
		return nil, nil, notFound(err, "action item", id)
	}
	if !actor.CanSeeItem(&it) || !actor.CanSeePostmortem(pm) {
		return nil, nil, fmt.Errorf("action item %d: %w", id, ErrNotFound)
	}
	return &it, pm, nil
}

// accessColumns are the postmortem's columns that deciding access to it
// and validating its items read.
const accessColumns = "id, status, visibility, started_at"

// loadPostmortemAccess loads the accessColumns of a postmortem that is not
// deleted, and the ids of the customers it names.
func loadPostmortemAccess(q *gorm.DB, id uint) (*Postmortem, error) {
	var pm Postmortem
	if err := q.Select(accessColumns).First(&pm, id).Error; err != nil {
		return nil, err
	}
	var customers []uint
	if err := q.Table("postmortem_customers").Where("postmortem_id = ?", id).
		Pluck("customer_id", &customers).Error; err != nil {
		return nil, fmt.Errorf("load customers of postmortem %d: %w", id, err)
	}
	for _, c := range customers {
		pm.Customers = append(pm.Customers, Customer{ID: c})
	}
	return &pm, nil
}
