package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// UpdateItem applies a patch to an action item in one transaction: it
// loads the item, authorises the change with the access policy, applies
// and validates the patch, then saves the changed columns with one audit
// event per changed field. On SQLite the transaction runs on the one
// writer connection and begins IMMEDIATE, so nothing it read can change
// before it commits.
func (s *Store) UpdateItem(ctx context.Context, actor *User, id uint, p ItemPatch) (*ActionItem, error) {
	var it *ActionItem
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		it, err = s.updateItem(tx, actor, id, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	return it, nil
}

// updateItem is UpdateItem's work inside its transaction, step by step.
func (s *Store) updateItem(tx *gorm.DB, actor *User, id uint, p ItemPatch) (*ActionItem, error) {
	// Load, and authorise: the policy says who may see and change what.
	it, pm, err := s.getItemAndPostmortem(tx, actor, id)
	if err != nil {
		return nil, err
	}
	if !actor.CanEditItem(it) {
		return nil, s.refusal(actor, "action item", id)
	}
	if actor.IsCustomer() {
		if err := customerMayPatch(p); err != nil {
			return nil, err
		}
	}

	// Apply and validate.
	before := *it
	if err := applyItemPatch(it, p, pm); err != nil {
		return nil, err
	}
	it.setClosedAt(s)
	changes := diff(before.auditFields(), it.auditFields())
	if len(changes) == 0 {
		return it, nil
	}

	// Save the changed columns and record the change. A change to what
	// customers may read of the item passes the share gate around the
	// write (sharegate.go), which refuses findings the write introduced.
	write := func() error {
		now := s.Now()
		it.UpdatedAt = now
		if err := tx.Model(&ActionItem{ID: it.ID}).Updates(changedColumns(it, changes)).Error; err != nil {
			return fmt.Errorf("save action item %d: %w", it.ID, err)
		}
		return newAudit(tx, actor, now).record(EntityActionItem, it.ID, it.PostmortemID, ActionUpdated, changes, "")
	}
	if changesItemText(p) {
		err = s.guardShare(tx, shareWrite{actor: actor, pmID: pm.ID, entity: EntityActionItem,
			entityID: func() uint { return id }, overrides: p.ShareOverrides}, write)
	} else {
		err = write()
	}
	if err != nil {
		return nil, err
	}
	return it, nil
}

// changedColumns are the columns to write for the changes: only those,
// because SQLite rewrites the entries of every index over a column an
// UPDATE sets, and action_items has many indexes.
func changedColumns(it *ActionItem, changes []change) map[string]any {
	changed := make(map[string]bool, len(changes))
	for _, c := range changes {
		changed[c.Field] = true
	}
	cols := map[string]any{"updated_at": it.UpdatedAt}
	for _, c := range it.auditColumns() {
		if changed[c.name] {
			cols[c.name] = c.value
		}
	}
	if changed["status"] {
		cols["closed_at"] = it.ClosedAt
	}
	return cols
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

// applyItemPatch sets the patch's fields on it and validates the result
// against its postmortem, naming every bad field at once.
func applyItemPatch(it *ActionItem, p ItemPatch, pm *Postmortem) error {
	f := fieldErrors{}
	side := it.side()
	defer func() {
		// The assignee belongs to the side that owned the item: handed
		// to the other side (or another customer) without a new one, it
		// is cleared, so that our people's names never travel with it.
		if it.side() != side && !p.Assignee.Set {
			it.Assignee = ""
		}
	}()
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
			f.dueDate("due_date", &d)
		}
	}
	if p.CustomerVisible.Set {
		if p.CustomerVisible.Null {
			f.add("customer_visible", "cannot be null")
		}
		it.CustomerVisible = p.CustomerVisible.V
	}
	for k, v := range it.validate(pm) {
		f.add(k, v)
	}
	return f.err()
}

// side names who owns the item: the provider, or which customer.
func (a *ActionItem) side() string {
	if a.Owner == OwnerCustomer && a.CustomerID != nil {
		return fmt.Sprintf("customer %d", *a.CustomerID)
	}
	return a.Owner
}
