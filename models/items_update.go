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
//
// The patch is planned on a reader, outside the writer's turn, and written
// only if nothing the plan read has changed since: with SQLite's single
// writer, the turn then holds one UPDATE and the audit rows rather than
// the reads too, in a transaction shared with other updates (group.go).
// If something changed, it is planned again in a transaction of its own.
func (s *Store) UpdateItem(ctx context.Context, actor *User, id uint, p ItemPatch) (*ActionItem, error) {
	// A change to what customers may read of the item passes the share
	// gate, in a transaction of its own (sharegate_writes.go).
	if changesItemText(p) {
		return s.updateItemGated(ctx, actor, id, p)
	}
	plan, err := s.planItemUpdate(s.db.R.WithContext(ctx), actor, id, p)
	if err != nil {
		return nil, err
	}
	if len(plan.changes) == 0 {
		return plan.item, nil
	}
	applied := false
	err = s.db.inGroup(ctx, func(tx *gorm.DB) error {
		var werr error // fn runs on the group's goroutine
		applied, werr = s.writeItemPlan(tx, actor, plan, true)
		return werr
	})
	if err != nil || applied {
		return plan.item, err
	}
	err = s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if plan, err = s.planItemUpdate(tx, actor, id, p); err != nil || len(plan.changes) == 0 {
			return err
		}
		_, err = s.writeItemPlan(tx, actor, plan, false)
		return err
	})
	if err != nil {
		return nil, err
	}
	return plan.item, nil
}

// itemPlan is a checked patch: the item as it will be, what it was read
// as, and the changes between.
type itemPlan struct {
	item, read *ActionItem
	pm         *Postmortem
	changes    []change
}

func (s *Store) planItemUpdate(q *gorm.DB, actor *User, id uint, p ItemPatch) (*itemPlan, error) {
	it, pm, err := s.getItemAndPostmortem(q, actor, id)
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
	read := *it
	f := fieldErrors{}
	applyItemPatch(it, p, f)
	for k, v := range it.validate(pm) {
		f.add(k, v)
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	it.setClosedAt(s)
	return &itemPlan{item: it, read: &read, pm: pm, changes: diff(read.auditFields(), it.auditFields())}, nil
}

// writeItemPlan writes the changed columns and their audit events. When
// conditional, it writes only if the item's recorded fields, and what the
// access rules and validation read of its postmortem, are still as
// planned; applied says whether it did.
//
// The UPDATE is built by hand, as the audit rows are: it runs in the
// writer's turn for every item update, where GORM's statement building
// was a fifth of the turn's CPU.
func (s *Store) writeItemPlan(tx *gorm.DB, actor *User, plan *itemPlan, conditional bool) (applied bool, err error) {
	it := plan.item
	a := newAudit(tx, actor, s.Now())
	it.UpdatedAt = a.at
	b := itemUpdate(plan)
	if conditional {
		unchangedSincePlan(b, actor, plan)
	}
	res := tx.Exec(b.sql.String(), b.args...)
	if res.Error != nil {
		return false, fmt.Errorf("save action item %d: %w", it.ID, res.Error)
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	return true, a.record(EntityActionItem, it.ID, it.PostmortemID, ActionUpdated, plan.changes, "")
}

// itemUpdate sets only the changed columns: SQLite rewrites the entries of
// every index over a column an UPDATE sets, and action_items has many
// indexes.
func itemUpdate(plan *itemPlan) *statement {
	it := plan.item
	changed := make(map[string]bool, len(plan.changes))
	for _, c := range plan.changes {
		changed[c.Field] = true
	}
	b := &statement{}
	b.add("UPDATE action_items SET updated_at = ?", it.UpdatedAt)
	for _, c := range it.auditColumns() {
		if changed[c.name] {
			b.add(", "+c.name+" = ?", c.value)
		}
	}
	if changed["status"] {
		b.add(", closed_at = ?", optional(it.ClosedAt))
	}
	b.add(" WHERE id = ?", it.ID)
	return b
}

// unchangedSincePlan restricts an update of the planned item to the row
// as it was read, under the postmortem rules the plan checked.
func unchangedSincePlan(b *statement, actor *User, plan *itemPlan) {
	for _, c := range plan.read.auditColumns() {
		if c.value == nil {
			b.add(" AND " + c.name + " IS NULL")
		} else {
			b.add(" AND "+c.name+" = ?", c.value)
		}
	}
	pm := " AND EXISTS (SELECT 1 FROM postmortems WHERE id = ? AND deleted_at IS NULL"
	named := " AND EXISTS (SELECT 1 FROM postmortem_customers WHERE postmortem_id = ? AND customer_id = ?)"
	if actor.IsCustomer() {
		b.add(pm+" AND status = ? AND visibility = ?)", plan.pm.ID, plan.pm.Status, plan.pm.Visibility)
		b.add(named, plan.pm.ID, *actor.CustomerID)
	} else {
		b.add(pm+")", plan.pm.ID)
	}
	if it := plan.item; it.Owner == OwnerCustomer && it.CustomerID != nil {
		b.add(named, plan.pm.ID, *it.CustomerID)
	}
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
		}
	}
	if p.CustomerVisible.Set {
		if p.CustomerVisible.Null {
			f.add("customer_visible", "cannot be null")
		}
		it.CustomerVisible = p.CustomerVisible.V
	}
}

// side names who owns the item: the provider, or which customer.
func (a *ActionItem) side() string {
	if a.Owner == OwnerCustomer && a.CustomerID != nil {
		return fmt.Sprintf("customer %d", *a.CustomerID)
	}
	return a.Owner
}
