package models

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/amendsdev/amends/models/sharecheck"
)

// The share gate: every write that changes what a customer or the public
// can read of a postmortem after it reached them (a published shared or
// public one, any joint one) passes the share-safety check that publishing
// runs, in the write's own transaction.
//
// The gate reads what each customer named on the postmortem can read, and
// on a published public one what the public reads (publicReader), before
// and after the write, and checks both. A finding blocks when the
// write introduced it: its key (kind, field, matched text) occurs in what
// some customer reads more often after the write than before. So an edit
// is never refused for a finding that customer could already read (one
// overridden at publication, say), and text a customer could not read
// before (an item made visible, a customer added, a postmortem shared)
// counts as new in full. A blocking finding refuses the write with 422
// share_check_failed unless the write's share_overrides give it a reason;
// each override used is written to the history as an "override" event, as
// publishing does.
//
// A customer user's own writes are never refused: the gate guards what we
// tell customers, not what they write. What they introduce is written to
// the history as "share_warning" events, which staff read and customers
// never do.

// ActionShareWarning marks a finding a customer user's write introduced.
const ActionShareWarning = "share_warning"

// ShareOverrides are a writer's reasons for letting findings through, by
// finding key. In JSON, the list POST /publish takes
// ([{"key": …, "reason": …}]) or an object {key: reason}.
type ShareOverrides map[string]string

// UnmarshalJSON reads either form.
func (o *ShareOverrides) UnmarshalJSON(b []byte) error {
	var m map[string]string
	if err := json.Unmarshal(b, &m); err == nil {
		*o = m
		return nil
	}
	var list []struct {
		Key    string `json:"key"`
		Reason string `json:"reason"`
	}
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf(`share_overrides must be [{"key": …, "reason": …}] or {key: reason}`)
	}
	*o = ShareOverrides{}
	for _, e := range list {
		(*o)[e.Key] = e.Reason
	}
	return nil
}

// shareWrite is a write the gate watches: who writes, to which postmortem,
// which object the history names, and the writer's overrides.
type shareWrite struct {
	actor     *User
	pmID      uint
	entity    string
	entityID  func() uint // read after the write: a created object has its id then
	overrides ShareOverrides
	// created names the fields of an object the write creates, such as
	// "comments[12]."; its findings are keyed as "comments[new]." so
	// that a key stays the same when the write is sent again with
	// overrides (the id is not: PostgreSQL does not reuse it).
	created func() string
	// newPostmortem is set when the write creates the postmortem (pmID
	// is then 0): customers read nothing of it before.
	newPostmortem bool
}

// renameCreated keys the findings in a created object's fields by "[new]".
func (w shareWrite) renameCreated(fs []ShareFinding) {
	if w.created == nil {
		return
	}
	prefix := w.created()
	stable := prefix[:strings.IndexByte(prefix, '[')] + "[new]."
	for i := range fs {
		if rest, ok := strings.CutPrefix(fs[i].Field, prefix); ok {
			fs[i].Field = stable + rest
			fs[i].Key = findingKey(fs[i].Finding)
		}
	}
}

// guardShare runs write in tx between two readings of the postmortem's
// customer-facing text, and refuses it (the caller's transaction then rolls
// back) when it introduced findings that are not overridden.
func (s *Store) guardShare(tx *gorm.DB, w shareWrite, write func() error) error {
	introduced, err := s.introducedBy(tx, &w, write)
	if err != nil {
		return err
	}
	a := newAudit(tx, w.actor, s.Now())
	if w.actor.IsCustomer() {
		return w.recordEach(a, ActionShareWarning, introduced, func(f ShareFinding) string { return f.Message })
	}
	if err := checkOverrideReasons(introduced, w.overrides); err != nil {
		return err
	}
	var left, used []ShareFinding
	for _, f := range introduced {
		if strings.TrimSpace(w.overrides[f.Key]) == "" {
			left = append(left, f)
		} else {
			used = append(used, f)
		}
	}
	if len(left) > 0 {
		return &RuleError{Code: "share_check_failed", Message: fmt.Sprintf(
			"%d finding(s) in text customers read must be fixed or overridden with a reason (share_overrides)", len(left)),
			Details: map[string]any{"findings": left}}
	}
	return w.recordEach(a, "override", used, func(f ShareFinding) string { return w.overrides[f.Key] })
}

// introducedBy runs write and lists the findings it introduced.
func (s *Store) introducedBy(tx *gorm.DB, w *shareWrite, write func() error) ([]ShareFinding, error) {
	before := customerText{}
	if !w.newPostmortem {
		var err error
		if before, err = s.customerText(tx, w.pmID); err != nil {
			return nil, err
		}
	}
	if err := write(); err != nil {
		return nil, err
	}
	if w.newPostmortem {
		w.pmID = w.entityID()
	}
	after, err := s.customerText(tx, w.pmID)
	if err != nil {
		return nil, err
	}
	introduced := after.introducedSince(before)
	w.renameCreated(introduced)
	return introduced, nil
}

// recordEach writes one event per finding (each key once), naming its key.
func (w shareWrite) recordEach(a *audit, action string, fs []ShareFinding, reason func(ShareFinding) string) error {
	for _, f := range fs {
		ch := []change{{Field: "share_check", New: f.Key}}
		if err := a.record(w.entity, w.entityID(), w.pmID, action, ch, reason(f)); err != nil {
			return err
		}
	}
	return nil
}

// checkOverrideReasons refuses an override of a blocking finding that
// gives no reason, as publishing does. Overrides naming no blocking
// finding are ignored: a form sent again after the text was fixed keeps
// working, and a mistyped key leaves its finding unresolved, so refused.
func checkOverrideReasons(introduced []ShareFinding, overrides ShareOverrides) error {
	bad := fieldErrors{}
	for _, f := range introduced {
		if reason, ok := overrides[f.Key]; ok && strings.TrimSpace(reason) == "" {
			bad.add("share_overrides", fmt.Sprintf("overriding %q needs a written reason", f.Key))
		}
	}
	return bad.err()
}

// customerText is what the customers named on a postmortem can read of it,
// checked: every finding, and per customer how often each finding key
// occurs in what that customer reads.
type customerText struct {
	findings []ShareFinding
	counts   map[uint]map[string]int
}

// introducedSince lists the findings whose key some customer reads more
// often now than before, each key once.
func (t customerText) introducedSince(before customerText) []ShareFinding {
	blocking := map[string]bool{}
	for cust, counts := range t.counts {
		for key, n := range counts {
			if n > before.counts[cust][key] {
				blocking[key] = true
			}
		}
	}
	out := []ShareFinding{}
	for _, f := range t.findings {
		if blocking[f.Key] {
			out = append(out, f)
			delete(blocking, f.Key)
		}
	}
	return out
}

// publicReader stands for the public among the readers of a postmortem:
// no customer has id 0.
const publicReader uint = 0

// readers are who can read a postmortem, by the policy: the customers it
// names (CanSeePostmortem) and, for a public one, the public
// (OpenToThePublic).
func readers(pm *Postmortem) []uint {
	var out []uint
	if pm.openToItsCustomers() {
		for _, c := range pm.Customers {
			out = append(out, c.ID)
		}
	}
	if pm.OpenToThePublic() {
		out = append(out, publicReader)
	}
	return out
}

// customerText reads and checks the text of the postmortem every reader
// sees (title, external fields, customer-visible items of the provider and
// their comments) and what only one reader sees (its own items and their
// comments, its joint section), within tx so that it sees the write.
func (s *Store) customerText(tx *gorm.DB, pmID uint) (customerText, error) {
	var pm Postmortem
	if err := tx.Preload("Customers").First(&pm, pmID).Error; err != nil {
		return customerText{}, fmt.Errorf("load postmortem %d for the share gate: %w", pmID, err)
	}
	return s.checkCustomerText(tx, &pm, readers(&pm))
}

// checkCustomerText checks what the readers given read of pm.
func (s *Store) checkCustomerText(tx *gorm.DB, pm *Postmortem, all []uint) (customerText, error) {
	text := customerText{counts: map[uint]map[string]int{}}
	if len(all) == 0 {
		return text, nil
	}
	var items []ActionItem
	if err := tx.Where("postmortem_id = ? AND customer_visible = ?", pm.ID, true).Order("id").Find(&items).Error; err != nil {
		return text, fmt.Errorf("items of postmortem %d: %w", pm.ID, err)
	}
	doc, err := shareDocument(tx, pm, items)
	if err != nil {
		return text, err
	}
	// Who reads each field; a field not listed is read by every reader.
	only := map[string]uint{}
	itemReader := map[uint]uint{}
	for _, it := range items {
		if it.Owner == OwnerCustomer && it.CustomerID != nil {
			itemReader[it.ID] = *it.CustomerID
			only[fmt.Sprintf("action_items[%d].title", it.ID)] = *it.CustomerID
			only[fmt.Sprintf("action_items[%d].description", it.ID)] = *it.CustomerID
		}
	}
	doc.Fields = append(doc.Fields, sharecheck.Field{Name: "title", Text: pm.Title})
	extra, err := readerOnlyText(tx, pm, items, itemReader, only)
	if err != nil {
		return text, err
	}
	doc.Fields = append(doc.Fields, extra...)
	checker, err := s.shareChecker(tx, pm)
	if err != nil {
		return text, err
	}
	found := checker.Check(doc)
	if slices.Contains(all, publicReader) {
		names, err := customerNames(tx, doc.Fields, only)
		if err != nil {
			return text, err
		}
		found = append(found, names...)
	}
	for _, f := range found {
		sf := ShareFinding{f, findingKey(f)}
		text.findings = append(text.findings, sf)
		for _, c := range all {
			if !readsField(c, f, only) {
				continue
			}
			if text.counts[c] == nil {
				text.counts[c] = map[string]int{}
			}
			text.counts[c][sf.Key]++
		}
	}
	return text, nil
}

// readsField says whether reader reads the field of a finding: a field in
// only is read by that one customer; the public reads the title, the
// external fields and our items, never a comment or a joint section; a
// customer's name is a finding for the public alone.
func readsField(reader uint, f sharecheck.Finding, only map[string]uint) bool {
	if r, ok := only[f.Field]; ok {
		return r == reader
	}
	if reader != publicReader {
		return f.Kind != KindCustomerName
	}
	return publicField(f.Field)
}

// publicField says whether the public reads a field of the share
// document, when no single customer reads it alone.
func publicField(name string) bool {
	return !strings.HasPrefix(name, "comments[") && !strings.HasPrefix(name, "joint_sections[")
}

// readerOnlyText adds the customer-visible comments on the items (read by
// whoever reads the item) and, on a joint postmortem, each customer's own
// section (read by that customer), noting their readers in only.
func readerOnlyText(tx *gorm.DB, pm *Postmortem, items []ActionItem, itemReader map[uint]uint, only map[string]uint) ([]sharecheck.Field, error) {
	var out []sharecheck.Field
	if len(items) > 0 {
		ids := make([]uint, len(items))
		for i, it := range items {
			ids[i] = it.ID
		}
		var cs []Comment
		if err := tx.Where("action_item_id IN ? AND customer_visible = ?", ids, true).Order("id").Find(&cs).Error; err != nil {
			return nil, fmt.Errorf("comments of postmortem %d: %w", pm.ID, err)
		}
		for _, c := range cs {
			name := fmt.Sprintf("comments[%d].body", c.ID)
			if r, ok := itemReader[c.ActionItemID]; ok {
				only[name] = r
			}
			out = append(out, sharecheck.Field{Name: name, Text: c.Body})
		}
	}
	if pm.Visibility != VisibilityJoint {
		return out, nil
	}
	var secs []JointSection
	if err := tx.Where("postmortem_id = ?", pm.ID).Order("customer_id").Find(&secs).Error; err != nil {
		return nil, fmt.Errorf("joint sections of postmortem %d: %w", pm.ID, err)
	}
	for _, sec := range secs {
		for _, f := range []struct{ name, text string }{
			{"impact", sec.Impact}, {"went_well", sec.WentWell}, {"went_wrong", sec.WentWrong}, {"got_lucky", sec.GotLucky},
		} {
			name := fmt.Sprintf("joint_sections[%d].%s", sec.CustomerID, f.name)
			only[name] = sec.CustomerID
			out = append(out, sharecheck.Field{Name: name, Text: f.text})
		}
	}
	return out, nil
}
