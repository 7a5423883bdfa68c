package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// FollowUp says that a postmortem builds on an item of an earlier one, so
// that its write-up can say how that earlier promise turned out.
type FollowUp struct {
	PostmortemID uint `gorm:"primaryKey;autoIncrement:false"`
	ActionItemID uint `gorm:"primaryKey;autoIncrement:false"`
	CreatedAt    time.Time
}

// AddFollowUp links an item of an earlier postmortem to this one.
func (s *Store) AddFollowUp(ctx context.Context, actor *User, pmID, itemID uint) error {
	return s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		pm, err := s.getPostmortem(tx, actor, pmID)
		if err != nil {
			return err
		}
		if !actor.Can(PermWritePostmortems) {
			return s.refusal(actor, "postmortem", pmID)
		}
		_, earlier, err := s.getItemAndPostmortem(tx, actor, itemID)
		if err != nil {
			return &ValidationError{Fields: map[string]string{"action_item_id": fmt.Sprintf("unknown action item %d", itemID)}}
		}
		if earlier.ID == pm.ID || (earlier.StartedAt != nil && pm.StartedAt != nil && !earlier.StartedAt.Before(*pm.StartedAt)) {
			return &ValidationError{Fields: map[string]string{"action_item_id": "must be an item of an earlier postmortem"}}
		}
		now := s.Now()
		if err := tx.Create(&FollowUp{PostmortemID: pmID, ActionItemID: itemID, CreatedAt: now}).Error; err != nil {
			return conflictOnDuplicate(err, "action_item_id", "this item is already a follow-up of this postmortem")
		}
		return newAudit(tx, actor, now).record(EntityPostmortem, pmID, pmID, ActionUpdated,
			[]change{{Field: "follow_up", New: fmt.Sprintf("item %d of postmortem %d", itemID, earlier.ID)}}, "")
	})
}

// FollowUps lists the earlier items a postmortem builds on that the actor
// may see, with their current state.
func (s *Store) FollowUps(ctx context.Context, actor *User, pmID uint) ([]ActionItem, error) {
	if _, err := s.GetPostmortem(ctx, actor, pmID); err != nil {
		return nil, err
	}
	var items []ActionItem
	q := actor.scopeItems(s.db.R.WithContext(ctx).Model(&ActionItem{})).
		Where("action_items.id IN (SELECT action_item_id FROM follow_ups WHERE postmortem_id = ?)", pmID).
		Order("action_items.id")
	if err := q.Find(&items).Error; err != nil {
		return nil, fmt.Errorf("follow-ups of postmortem %d: %w", pmID, err)
	}
	return items, nil
}
