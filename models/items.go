package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// ItemInput creates an action item; ItemPatch changes one.
type ItemInput struct {
	Title           string `json:"title"`
	Description     string `json:"description"`
	Owner           string `json:"owner"`
	CustomerID      *uint  `json:"customer_id"`
	Assignee        string `json:"assignee"`
	Type            string `json:"type"`
	Priority        string `json:"priority"`
	Status          string `json:"status"`
	DueDate         *Date  `json:"due_date"`
	CustomerVisible *bool  `json:"customer_visible"`
	// ShareOverrides let findings the item adds to customer text through
	// (sharegate.go); they are not a field of the item.
	ShareOverrides ShareOverrides `json:"share_overrides"`
}

type ItemPatch struct {
	Title           Opt[string]    `json:"title"`
	Description     Opt[string]    `json:"description"`
	Owner           Opt[string]    `json:"owner"`
	CustomerID      Opt[uint]      `json:"customer_id"`
	Assignee        Opt[string]    `json:"assignee"`
	Type            Opt[string]    `json:"type"`
	Priority        Opt[string]    `json:"priority"`
	Status          Opt[string]    `json:"status"`
	DueDate         Opt[Date]      `json:"due_date"`
	CustomerVisible Opt[bool]      `json:"customer_visible"`
	ShareOverrides  ShareOverrides `json:"share_overrides"`
}

// setFields names the fields a patch sets.
func (p *ItemPatch) setFields() []string {
	all := []struct {
		name string
		set  bool
	}{
		{"title", p.Title.Set}, {"description", p.Description.Set}, {"owner", p.Owner.Set},
		{"customer_id", p.CustomerID.Set}, {"assignee", p.Assignee.Set}, {"type", p.Type.Set},
		{"priority", p.Priority.Set}, {"status", p.Status.Set}, {"due_date", p.DueDate.Set},
		{"customer_visible", p.CustomerVisible.Set},
	}
	var out []string
	for _, f := range all {
		if f.set {
			out = append(out, f.name)
		}
	}
	return out
}

// column is one column's value; nil stands for NULL.
type column struct {
	name  string
	value any
}

// auditColumns are the item's columns whose changes the audit trail
// records, by column name.
func (a *ActionItem) auditColumns() []column {
	return []column{
		{"title", a.Title}, {"description", a.Description}, {"owner", a.Owner},
		{"customer_id", optional(a.CustomerID)}, {"assignee", a.Assignee}, {"type", a.Type},
		{"priority", a.Priority}, {"status", a.Status}, {"due_date", optional(a.DueDate)},
		{"customer_visible", a.CustomerVisible}, {"github_url", a.GitHubURL},
	}
}

func (a *ActionItem) auditFields() map[string]string {
	cols := a.auditColumns()
	out := make(map[string]string, len(cols))
	for _, c := range cols {
		out[c.name] = auditString(c.value)
	}
	return out
}

func optional[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// auditString is a column value as the audit trail writes it.
func auditString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case uint:
		return strconv.FormatUint(uint64(x), 10)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

// validate checks the item against its postmortem.
func (a *ActionItem) validate(pm *Postmortem) fieldErrors {
	f := a.validateValues()
	switch {
	case a.Owner == OwnerCustomer && a.CustomerID == nil:
		f.add("customer_id", "is required when owner is customer")
	case a.Owner == OwnerCustomer && !namesCustomer(pm, *a.CustomerID):
		f.add("customer_id", fmt.Sprintf("customer %d is not named on this postmortem", *a.CustomerID))
	case a.Owner == OwnerProvider && a.CustomerID != nil:
		f.add("customer_id", "must be empty when owner is provider")
	}
	return f
}

// validateValues checks what needs neither the postmortem nor the database.
func (a *ActionItem) validateValues() fieldErrors {
	f := fieldErrors{}
	f.required("title", a.Title, 300)
	f.maxLen("description", a.Description, maxText)
	f.line("assignee", a.Assignee, 200)
	f.oneOf("owner", a.Owner, Owners)
	f.oneOf("type", a.Type, ItemTypes)
	f.oneOf("priority", a.Priority, Priorities)
	f.oneOf("status", a.Status, ItemStatuses)
	return f
}

// setClosedAt keeps closed_at in step with the status.
func (a *ActionItem) setClosedAt(s *Store) {
	switch {
	case a.IsOpen():
		a.ClosedAt = nil
	case a.ClosedAt == nil:
		now := s.Now()
		a.ClosedAt = &now
	}
}

// CreateItem adds an action item to a postmortem the actor may add to. A
// customer user's item is always owned by its organisation.
func (s *Store) CreateItem(ctx context.Context, actor *User, pmID uint, in ItemInput) (*ActionItem, error) {
	it := ActionItem{
		PostmortemID: pmID, Title: strings.TrimSpace(in.Title), Description: in.Description, Owner: in.Owner,
		CustomerID: in.CustomerID, Assignee: strings.TrimSpace(in.Assignee), Type: in.Type, Priority: in.Priority,
		Status: in.Status, DueDate: in.DueDate, CustomerVisible: in.CustomerVisible == nil || *in.CustomerVisible,
	}
	if it.Owner == "" {
		it.Owner = OwnerProvider
	}
	if it.Status == "" {
		it.Status = StatusOpen
	}
	if actor.IsCustomer() {
		it.Owner, it.CustomerID, it.CustomerVisible = OwnerCustomer, actor.CustomerID, true
	}
	if actor != nil {
		it.CreatedByID = &actor.ID
	}
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		pm, err := s.getPostmortem(tx, actor, pmID)
		if err != nil {
			return err
		}
		if !actor.CanAddItemTo(pm) {
			return s.refusal(actor, "postmortem", pmID)
		}
		if it.DueDate == nil {
			if it.DueDate, err = s.defaultDueDate(tx, it.Priority); err != nil {
				return err
			}
		}
		f := it.validate(pm)
		f.dueDate("due_date", in.DueDate)
		if err := f.err(); err != nil {
			return err
		}
		now := s.Now()
		it.CreatedAt, it.UpdatedAt = now, now
		it.setClosedAt(s)
		write := func() error {
			if err := tx.Create(&it).Error; err != nil {
				return fmt.Errorf("create action item: %w", err)
			}
			return newAudit(tx, actor, now).record(EntityActionItem, it.ID, pmID, ActionCreated, nil, "")
		}
		if !it.CustomerVisible {
			return write()
		}
		return s.guardShare(tx, shareWrite{actor: actor, pmID: pmID, entity: EntityActionItem,
			entityID: func() uint { return it.ID }, overrides: in.ShareOverrides,
			created: func() string { return fmt.Sprintf("action_items[%d].", it.ID) }}, write)
	})
	if err != nil {
		return nil, err
	}
	return &it, nil
}

// refusal is what an actor gets for an object it may see but not change:
// a customer cannot tell it from a missing object; staff get ErrForbidden.
func (s *Store) refusal(actor *User, what string, id uint) error {
	if actor.IsCustomer() {
		return fmt.Errorf("%s %d: %w", what, id, ErrNotFound)
	}
	return fmt.Errorf("%s %d: %w", what, id, ErrForbidden)
}

// GetItem loads an item the actor can see.
func (s *Store) GetItem(ctx context.Context, actor *User, id uint) (*ActionItem, error) {
	return s.getItem(s.db.R.WithContext(ctx), actor, id)
}

func (s *Store) getItem(q *gorm.DB, actor *User, id uint) (*ActionItem, error) {
	it, _, err := s.getItemAndPostmortem(q, actor, id)
	return it, err
}
