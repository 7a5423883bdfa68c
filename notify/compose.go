package notify

import "github.com/amendsdev/amends/models"

// Audiences of a reminder: staff see every field, customer contacts only
// what the portal shows them.
const (
	KindReminder         = "reminder"
	KindCustomerReminder = "customer_reminder"
)

// Entry is one item in a reminder.
type Entry struct {
	Item       MailItem
	Postmortem string // the postmortem's title
	Days       int    // days overdue (>0) or until due (≥0)
}

// MailItem is what a reminder shows of an item; no other field of it can
// reach a template. Small, since a digest copies one per entry.
type MailItem struct {
	ID       uint
	Title    string
	Priority string
	Status   string
	DueDate  *models.Date
}

// Note is one recipient's reminder of one day: every section in one email.
type Note struct {
	To       string
	Customer *models.Customer // set for a customer's contacts
	Date     models.Date      // the recipient's local date: the key's period
	Overdue  []Entry          // critical items past due
	DueSoon  []Entry          // heads-up before the due date
	Escalate []Entry          // overdue items of postmortems the recipient owns
	Digest   []Entry          // every open item, on the digest day
	// Late are the shared postmortems the recipient owns that are still
	// unpublished past the 24-hour aim.
	Late []LateDraft
}

// LateDraft is an unpublished shared postmortem and how long ago its
// incident was resolved.
type LateDraft struct {
	ID    uint
	Title string
	Days  int
}

// Empty reports whether the note has nothing to say.
func (n *Note) Empty() bool {
	return len(n.Overdue)+len(n.DueSoon)+len(n.Escalate)+len(n.Digest)+len(n.Late) == 0
}

// Kind is the audience part of the idempotency key.
func (n *Note) Kind() string {
	if n.Customer != nil {
		return KindCustomerReminder
	}
	return KindReminder
}

// Sections of a note an item can be in besides the digest.
const (
	sectionNone = iota
	sectionOverdue
	sectionDueSoon
)

// section is where an item goes on day today: overdue critical items
// first, else a heads-up HeadsUpDays before the due date.
func (p Policy) section(it *models.ActionItem, today models.Date) int {
	switch {
	case it.IsOverdue(today) && models.IsCritical(it.Priority):
		return sectionOverdue
	case it.DueDate != nil && daysOff(it, today) == p.HeadsUpDays && !it.IsOverdue(today):
		return sectionDueSoon
	}
	return sectionNone
}

// escalates says whether the owner of the item's postmortem hears of it on
// day today: once it is EscalateAfterDays overdue, then weekly.
func (p Policy) escalates(it *models.ActionItem, today models.Date) bool {
	over := daysOff(it, today) - p.EscalateAfterDays
	return it.IsOverdue(today) && over >= 0 && over%7 == 0
}

// daysOff is an item's distance from its due date: days overdue when past,
// else days until due.
func daysOff(it *models.ActionItem, today models.Date) int {
	switch {
	case it.DueDate == nil:
		return 0
	case it.IsOverdue(today):
		return it.DueDate.DaysUntil(today)
	}
	return today.DaysUntil(*it.DueDate)
}

// note builds a recipient's note from their items as read back now; an item
// closed since it was routed is left out.
func (c *composer) note(r *recipient, items map[uint]*models.ActionItem) (Note, bool) {
	n := Note{To: r.email, Customer: r.customer, Date: r.today}
	for _, id := range r.items {
		it := items[id]
		if it == nil || !c.mayTell(r, it) {
			continue
		}
		e := c.entry(it, r.today)
		switch c.policy.section(it, r.today) {
		case sectionOverdue:
			n.Overdue = append(n.Overdue, e)
		case sectionDueSoon:
			n.DueSoon = append(n.DueSoon, e)
		}
		if r.digest {
			n.Digest = append(n.Digest, e)
		}
	}
	for _, id := range r.owned {
		if it := items[id]; it != nil && c.policy.escalates(it, r.today) {
			n.Escalate = append(n.Escalate, c.entry(it, r.today))
		}
	}
	for _, pm := range r.late {
		n.Late = append(n.Late, LateDraft{ID: pm.ID, Title: pm.Title, Days: int(c.now.Sub(*pm.ResolvedAt).Hours() / 24)})
	}
	return n, !n.Empty()
}

// entry is an item with its postmortem's title and its distance from the
// due date.
func (c *composer) entry(it *models.ActionItem, today models.Date) Entry {
	e := Entry{Item: MailItem{ID: it.ID, Title: it.Title, Priority: it.Priority, Status: it.Status, DueDate: it.DueDate},
		Days: daysOff(it, today)}
	if pm := c.data.Postmortems[it.PostmortemID]; pm != nil {
		e.Postmortem = pm.Title
	}
	return e
}
