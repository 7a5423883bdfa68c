package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// UpdateItem applies a patch with one audit event per changed field, in the
// same transaction. A customer may change only some fields of items its
// organisation owns.
func (s *Store) UpdateItem(ctx context.Context, actor *User, id uint, p ItemPatch) (*ActionItem, error) {
	var it *ActionItem
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var (
			pm  *Postmortem
			err error
		)
		if it, pm, err = s.getItemAndPostmortem(tx, actor, id); err != nil {
			return err
		}
		if !actor.CanEditItem(it) {
			return s.refusal(actor, "action item", id)
		}
		if actor.IsCustomer() {
			if err := customerMayPatch(p); err != nil {
				return err
			}
		}
		before := it.auditFields()
		f := fieldErrors{}
		applyItemPatch(it, p, f)
		for k, v := range it.validate(pm) {
			f.add(k, v)
		}
		if err := f.err(); err != nil {
			return err
		}
		return s.saveItem(tx, newAudit(tx, actor, s.Now()), it, before, "")
	})
	if err != nil {
		return nil, err
	}
	return it, nil
}

// saveItem writes an item whose fields changed from before, with its audit
// events; no change writes nothing.
func (s *Store) saveItem(tx *gorm.DB, a *audit, it *ActionItem, before map[string]string, reason string) error {
	it.setClosedAt(s)
	changes := diff(before, it.auditFields())
	if len(changes) == 0 {
		return nil
	}
	it.UpdatedAt = a.at
	if err := tx.Save(it).Error; err != nil {
		return fmt.Errorf("save action item %d: %w", it.ID, err)
	}
	return a.record(EntityActionItem, it.ID, it.PostmortemID, ActionUpdated, changes, reason)
}

func customerMayPatch(p ItemPatch) error {
	f := fieldErrors{}
	for _, name := range p.setFields() {
		if !customerItemFields[name] {
			f.add(name, "cannot be changed by a customer")
		}
	}
	return f.err()
}

func applyItemPatch(it *ActionItem, p ItemPatch, f fieldErrors) {
	setString(&it.Title, p.Title, "title", f)
	it.Title = strings.TrimSpace(it.Title)
	if p.Description.Set {
		it.Description = p.Description.V
	}
	setString(&it.Owner, p.Owner, "owner", f)
	if p.CustomerID.Set {
		it.CustomerID = nil
		if !p.CustomerID.Null {
			v := p.CustomerID.V
			it.CustomerID = &v
		}
	}
	if p.Assignee.Set {
		it.Assignee = strings.TrimSpace(p.Assignee.V)
	}
	setString(&it.Type, p.Type, "type", f)
	setString(&it.Priority, p.Priority, "priority", f)
	setString(&it.Status, p.Status, "status", f)
	if p.DueDate.Set {
		it.DueDate = nil
		if !p.DueDate.Null {
			d := p.DueDate.V
			it.DueDate = &d
		}
	}
	if p.CustomerVisible.Set {
		if p.CustomerVisible.Null {
			f.add("customer_visible", "cannot be null")
		}
		it.CustomerVisible = p.CustomerVisible.V
	}
}
