package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// CommentInput adds a comment. Staff comments are internal unless marked
// customer-visible; a customer's comment is always visible to both sides.
type CommentInput struct {
	Body            string         `json:"body"`
	CustomerVisible bool           `json:"customer_visible"`
	ShareOverrides  ShareOverrides `json:"share_overrides"`
}

// ListComments lists the comments on an item that the actor may read.
func (s *Store) ListComments(ctx context.Context, actor *User, itemID uint) ([]Comment, error) {
	if _, err := s.GetItem(ctx, actor, itemID); err != nil {
		return nil, err
	}
	q := s.db.R.WithContext(ctx).Preload("Author").Where("action_item_id = ?", itemID).Order("id")
	if actor.IsCustomer() {
		q = q.Where("customer_visible = ?", true)
	}
	var cs []Comment
	if err := q.Find(&cs).Error; err != nil {
		return nil, fmt.Errorf("list comments of item %d: %w", itemID, err)
	}
	return cs, nil
}

// AddComment comments on an item; customers only on items they own.
func (s *Store) AddComment(ctx context.Context, actor *User, itemID uint, in CommentInput) (*Comment, error) {
	body := strings.TrimSpace(in.Body)
	f := fieldErrors{}
	f.requiredText("body", body, 20_000)
	if err := f.err(); err != nil {
		return nil, err
	}
	var c Comment
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		it, err := s.getItem(tx, actor, itemID)
		if err != nil {
			return err
		}
		if actor.IsCustomer() && !actor.CanEditItem(it) {
			return s.refusal(actor, "action item", itemID)
		}
		now := s.Now()
		c = Comment{ActionItemID: itemID, AuthorID: actor.ID, Author: *actor, Body: body,
			CustomerVisible: in.CustomerVisible || actor.IsCustomer(), CreatedAt: now}
		write := func() error {
			if err := tx.Omit("Author").Create(&c).Error; err != nil {
				return fmt.Errorf("add comment to item %d: %w", itemID, err)
			}
			ch := []change{{Field: "comment", New: strconv.FormatUint(uint64(c.ID), 10)}}
			return newAudit(tx, actor, now).record(EntityActionItem, itemID, it.PostmortemID, ActionCommented, ch, "")
		}
		if !c.CustomerVisible || !it.CustomerVisible {
			return write()
		}
		return s.guardShare(tx, shareWrite{actor: actor, pmID: it.PostmortemID, entity: EntityActionItem,
			entityID: func() uint { return itemID }, overrides: in.ShareOverrides,
			created: func() string { return fmt.Sprintf("comments[%d].", c.ID) }}, write)
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}
