package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Archiving is the soft delete of an action item or a comment: staff who
// write items archive one made by mistake, an admin restores it, and both
// are written to the item's history. An archived row keeps its values and
// its history; GORM leaves it out of every query that does not ask for it
// (ActionItem.ArchivedAt), so it drops out of lists, counts, reminders,
// GitHub sync, feeds and the portal at once, and the policy (CanSeeItem)
// hides it from customers wherever an item is read as it stood, such as a
// review of a later moment. An archived item's GitHub issue is left alone:
// the sync neither reads nor writes the item until it is restored.

// Audit actions of archiving.
const (
	ActionArchived = "archived"
	ActionRestored = "restored"
)

// fieldArchivedAt is the audited field of an item's archiving; the field
// "comment" names the comment archived or restored.
const fieldArchivedAt = "archived_at"

// ArchiveInput says why something is archived; the history keeps it.
type ArchiveInput struct {
	Reason string `json:"reason"`
}

func (in ArchiveInput) check() (string, error) {
	reason := strings.TrimSpace(in.Reason)
	f := fieldErrors{}
	f.line("reason", reason, 500)
	return reason, f.err()
}

// Archived reports whether the item is archived.
func (a *ActionItem) Archived() bool { return a.ArchivedAt.Valid }

// ArchiveItem archives a live item. Staff who write items may; to a
// customer the route does not exist.
func (s *Store) ArchiveItem(ctx context.Context, actor *User, id uint, in ArchiveInput) error {
	reason, err := in.check()
	if err != nil {
		return err
	}
	return s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if actor.IsCustomer() {
			return fmt.Errorf("action item %d: %w", id, ErrNotFound)
		}
		it, err := s.getItem(tx, actor, id)
		if err != nil {
			return err
		}
		if !actor.Can(PermWriteItems) {
			return ErrForbidden
		}
		now := s.Now()
		if err := tx.Model(&ActionItem{ID: id}).Updates(map[string]any{"archived_at": now, "updated_at": now}).Error; err != nil {
			return fmt.Errorf("archive action item %d: %w", id, err)
		}
		ch := []change{{Field: fieldArchivedAt, New: fmtTime(&now)}}
		return newAudit(tx, actor, now).record(EntityActionItem, id, it.PostmortemID, ActionArchived, ch, reason)
	})
}

// RestoreItem brings an archived item back, as it was. Admins only.
func (s *Store) RestoreItem(ctx context.Context, actor *User, id uint) (*ActionItem, error) {
	var it ActionItem
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := mayRestore(actor, "action item", id); err != nil {
			return err
		}
		if err := tx.Unscoped().First(&it, id).Error; err != nil {
			return notFound(err, "action item", id)
		}
		if !it.Archived() {
			return &ConflictError{Message: fmt.Sprintf("action item %d is not archived", id)}
		}
		if _, err := loadPostmortemAccess(tx, it.PostmortemID); err != nil {
			return notFound(err, "action item", id)
		}
		now, was := s.Now(), it.ArchivedAt.Time
		err := tx.Unscoped().Model(&ActionItem{}).Where("id = ?", id).
			Updates(map[string]any{"archived_at": nil, "updated_at": now}).Error
		if err != nil {
			return fmt.Errorf("restore action item %d: %w", id, err)
		}
		it.ArchivedAt, it.UpdatedAt = gorm.DeletedAt{}, now
		ch := []change{{Field: fieldArchivedAt, Old: fmtTime(&was)}}
		return newAudit(tx, actor, now).record(EntityActionItem, id, it.PostmortemID, ActionRestored, ch, "")
	})
	if err != nil {
		return nil, err
	}
	return &it, nil
}

// mayRestore: admins restore; a customer cannot tell the route exists.
func mayRestore(actor *User, what string, id uint) error {
	switch {
	case actor.IsCustomer():
		return fmt.Errorf("%s %d: %w", what, id, ErrNotFound)
	case !actor.Can(PermAdmin):
		return ErrForbidden
	}
	return nil
}

// ArchivedItems lists a postmortem's archived items, newest archived
// first, for staff.
func (s *Store) ArchivedItems(ctx context.Context, actor *User, pmID uint) ([]ActionItem, error) {
	if actor.IsCustomer() {
		return nil, fmt.Errorf("postmortem %d: %w", pmID, ErrNotFound)
	}
	var items []ActionItem
	err := s.db.R.WithContext(ctx).Unscoped().Where("postmortem_id = ? AND archived_at IS NOT NULL", pmID).
		Order("archived_at DESC, id").Find(&items).Error
	if err != nil {
		return nil, fmt.Errorf("archived items of postmortem %d: %w", pmID, err)
	}
	return items, nil
}

// ArchiveComment archives a live comment of a live item. Staff who write
// items may; to a customer the route does not exist.
func (s *Store) ArchiveComment(ctx context.Context, actor *User, itemID, commentID uint, in ArchiveInput) error {
	reason, err := in.check()
	if err != nil {
		return err
	}
	return s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if actor.IsCustomer() {
			return fmt.Errorf("comment %d: %w", commentID, ErrNotFound)
		}
		it, err := s.getItem(tx, actor, itemID)
		if err != nil {
			return err
		}
		if !actor.Can(PermWriteItems) {
			return ErrForbidden
		}
		var c Comment
		if err := tx.Where("action_item_id = ?", itemID).First(&c, commentID).Error; err != nil {
			return notFound(err, "comment", commentID)
		}
		now := s.Now()
		if err := tx.Model(&Comment{ID: c.ID}).Update("archived_at", now).Error; err != nil {
			return fmt.Errorf("archive comment %d: %w", c.ID, err)
		}
		ch := []change{{Field: "comment", Old: strconv.FormatUint(uint64(c.ID), 10)}}
		return newAudit(tx, actor, now).record(EntityActionItem, itemID, it.PostmortemID, ActionArchived, ch, reason)
	})
}

// RestoreComment brings an archived comment back. Admins only.
func (s *Store) RestoreComment(ctx context.Context, actor *User, itemID, commentID uint) error {
	return s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := mayRestore(actor, "comment", commentID); err != nil {
			return err
		}
		it, err := s.getItem(tx, actor, itemID)
		if err != nil {
			return err
		}
		var c Comment
		if err := tx.Unscoped().Where("action_item_id = ?", itemID).First(&c, commentID).Error; err != nil {
			return notFound(err, "comment", commentID)
		}
		if !c.ArchivedAt.Valid {
			return &ConflictError{Message: fmt.Sprintf("comment %d is not archived", commentID)}
		}
		if err := tx.Unscoped().Model(&Comment{}).Where("id = ?", c.ID).Update("archived_at", nil).Error; err != nil {
			return fmt.Errorf("restore comment %d: %w", c.ID, err)
		}
		ch := []change{{Field: "comment", New: strconv.FormatUint(uint64(c.ID), 10)}}
		return newAudit(tx, actor, s.Now()).record(EntityActionItem, itemID, it.PostmortemID, ActionRestored, ch, "")
	})
}

// ArchivedComments lists an item's archived comments, for staff.
func (s *Store) ArchivedComments(ctx context.Context, actor *User, itemID uint) ([]Comment, error) {
	if actor.IsCustomer() {
		return nil, fmt.Errorf("action item %d: %w", itemID, ErrNotFound)
	}
	if _, err := s.GetItem(ctx, actor, itemID); err != nil {
		return nil, err
	}
	var cs []Comment
	err := s.db.R.WithContext(ctx).Unscoped().Preload("Author").
		Where("action_item_id = ? AND archived_at IS NOT NULL", itemID).Order("id").Find(&cs).Error
	if err != nil {
		return nil, fmt.Errorf("archived comments of item %d: %w", itemID, err)
	}
	return cs, nil
}

// setArchivedAt sets an item's archiving from its audit text, for
// replays (asof.go).
func setArchivedAt(it *ActionItem, v string) {
	it.ArchivedAt = gorm.DeletedAt{}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		it.ArchivedAt = gorm.DeletedAt{Time: t, Valid: true}
	}
}
