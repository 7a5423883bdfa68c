package models

import (
	"strings"

	"gorm.io/gorm"
)

// changesCustomerText says whether a postmortem's changes touch what its
// customers read, or who reads it: the title, the external fields,
// visibility, status and the customers named. Internal fields never pass
// the share gate.
func changesCustomerText(changes []change) bool {
	for _, c := range changes {
		switch {
		case c.Field == "title", c.Field == "visibility", c.Field == "status", c.Field == "customer_ids",
			strings.HasPrefix(c.Field, "external_"):
			return true
		}
	}
	return false
}

// changesItemText says whether an item patch may change what customers
// read of the item, or which customers read it. Status, priority, dates
// and assignees do not, and keep the grouped path of UpdateItem.
func changesItemText(p ItemPatch) bool {
	return p.Title.Set || p.Description.Set || p.CustomerVisible.Set || p.Owner.Set || p.CustomerID.Set
}

// unreviewedFindings are the findings in what publishing a shared or
// public postmortem shows its readers that the review does not read: the
// title, the customer-visible comments on its items (all ours: customers
// cannot comment before publication) and, on a public one, any customer's
// name in what the public reads. A joint postmortem's text passed the gate
// write by write, as its customers read it all along.
func (s *Store) unreviewedFindings(tx *gorm.DB, pm *Postmortem) ([]ShareFinding, error) {
	if pm.Visibility != VisibilityShared && pm.Visibility != VisibilityPublic {
		return nil, nil
	}
	ids := make([]uint, 0, len(pm.Customers)+1)
	for _, c := range pm.Customers {
		ids = append(ids, c.ID)
	}
	if pm.Visibility == VisibilityPublic {
		ids = append(ids, publicReader)
	}
	text, err := s.checkCustomerText(tx, pm, ids)
	if err != nil {
		return nil, err
	}
	var out []ShareFinding
	for _, f := range text.findings {
		if f.Field == "title" || strings.HasPrefix(f.Field, "comments[") || f.Kind == KindCustomerName {
			out = append(out, f)
		}
	}
	return out, nil
}
