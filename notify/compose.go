package notify

import (
	"slices"
	"strings"
	"time"

	"github.com/amendsdev/amends/models"
)

// Audiences of a reminder: staff see every field, customer contacts only
// what the portal shows them.
const (
	KindReminder         = "reminder"
	KindCustomerReminder = "customer_reminder"
)

// Entry is one item in a reminder.
type Entry struct {
	Item       models.ActionItem
	Postmortem string // the postmortem's title
	Days       int    // days overdue (>0) or until due (≥0)
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

// recipient gathers what one address is reminded of before the day's rules
// pick the sections.
type recipient struct {
	email    string
	loc      *time.Location
	knownTZ  bool
	customer *models.Customer
	items    []models.ActionItem // assigned to them, or owned by their organisation
	owned    []models.ActionItem // overdue items of postmortems they own
	late     []models.Postmortem // their shared postmortems past the publish aim
}

// Composer turns the open items into the notes due at one moment.
type Composer struct {
	Policy Policy
	Prefs  map[string]Pref
}

// Compose builds the notes due at now: recipients in their working hours
// (when their time zone is known) who are not paused.
func (c *Composer) Compose(d *models.ReminderData, now time.Time) []Note {
	var out []Note
	for _, r := range c.recipients(d) {
		if n, ok := c.note(r, d, now); ok {
			out = append(out, n)
		}
	}
	return out
}

func (c *Composer) note(r *recipient, d *models.ReminderData, now time.Time) (Note, bool) {
	pref := c.Prefs[r.email]
	if pref.Paused {
		return Note{}, false
	}
	loc, known := r.loc, r.knownTZ
	if l, err := time.LoadLocation(pref.TimeZone); pref.TimeZone != "" && err == nil {
		loc, known = l, true
	}
	local := now.In(loc)
	if known && (local.Hour() < c.Policy.WorkStartHour || local.Hour() >= c.Policy.WorkEndHour) {
		return Note{}, false
	}
	today := models.DateOf(local)
	n := Note{To: r.email, Customer: r.customer, Date: today}
	digestDay, _ := ParseWeekday(c.Policy.DigestDay)
	if pref.DigestDay != nil {
		digestDay = time.Weekday(*pref.DigestDay)
	}
	for _, it := range r.items {
		e := entry(it, d, today)
		switch {
		case it.IsOverdue(today) && models.IsCritical(it.Priority):
			n.Overdue = append(n.Overdue, e)
		case it.DueDate != nil && e.Days == c.Policy.HeadsUpDays && !it.IsOverdue(today):
			n.DueSoon = append(n.DueSoon, e)
		}
		if local.Weekday() == digestDay {
			n.Digest = append(n.Digest, e)
		}
	}
	for _, it := range r.owned {
		e := entry(it, d, today)
		if over := e.Days - c.Policy.EscalateAfterDays; it.IsOverdue(today) && over >= 0 && over%7 == 0 {
			n.Escalate = append(n.Escalate, e)
		}
	}
	for _, pm := range r.late {
		n.Late = append(n.Late, LateDraft{ID: pm.ID, Title: pm.Title, Days: int(now.Sub(*pm.ResolvedAt).Hours() / 24)})
	}
	return n, !n.Empty()
}

// entry is an item with its postmortem's title and its distance from the
// due date: days overdue when past, else days until due.
func entry(it models.ActionItem, d *models.ReminderData, today models.Date) Entry {
	e := Entry{Item: it}
	if pm := d.Postmortems[it.PostmortemID]; pm != nil {
		e.Postmortem = pm.Title
	}
	if it.DueDate != nil {
		e.Days = today.DaysUntil(*it.DueDate)
		if it.IsOverdue(today) {
			e.Days = it.DueDate.DaysUntil(today)
		}
	}
	return e
}

// recipients resolves who hears of each open item: the assignee of a
// provider item (an email, or a user's name), the contacts of the customer
// owning an item (only items that customer may see), and the owner of the
// postmortem for escalations.
func (c *Composer) recipients(d *models.ReminderData) []*recipient {
	users := indexUsers(d.Users)
	customers := map[uint]*models.Customer{}
	for i := range d.Customers {
		customers[d.Customers[i].ID] = &d.Customers[i]
	}
	byKey := map[string]*recipient{}
	get := func(email string, cust *models.Customer) *recipient {
		key := normEmail(email)
		if cust != nil {
			key += "|customer"
		}
		r := byKey[key]
		if r == nil {
			r = &recipient{email: normEmail(email), loc: time.UTC, customer: cust}
			r.loc, r.knownTZ = zoneOf(users.byEmail[r.email], cust)
			byKey[key] = r
		}
		return r
	}
	for _, it := range d.Items {
		pm := d.Postmortems[it.PostmortemID]
		if pm == nil {
			continue // its postmortem was deleted
		}
		c.route(it, pm, users, customers, get)
	}
	for _, pm := range d.LateDrafts {
		if u := users.byID[*pm.OwnerID]; u != nil && !u.IsCustomer() {
			r := get(u.Email, nil)
			r.late = append(r.late, pm)
		}
	}
	out := make([]*recipient, 0, len(byKey))
	for _, r := range byKey {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *recipient) int { return strings.Compare(a.email+a.Kind(), b.email+b.Kind()) })
	return out
}

func (r *recipient) Kind() string {
	if r.customer != nil {
		return KindCustomerReminder
	}
	return KindReminder
}

func (c *Composer) route(it models.ActionItem, pm *models.Postmortem, users userIndex,
	customers map[uint]*models.Customer, get func(string, *models.Customer) *recipient) {
	if it.Owner == models.OwnerCustomer && it.CustomerID != nil {
		cust := customers[*it.CustomerID]
		reader := &models.User{Role: models.RoleCustomer, CustomerID: it.CustomerID}
		if cust != nil && reader.CanSeePostmortem(pm) && reader.CanSeeItem(&it) {
			for _, addr := range cust.Contacts {
				r := get(addr, cust)
				r.items = append(r.items, it)
			}
		}
	} else if addr := users.resolve(it.Assignee); addr != "" {
		r := get(addr, nil)
		r.items = append(r.items, it)
	}
	if pm.OwnerID != nil {
		if u := users.byID[*pm.OwnerID]; u != nil && !u.IsCustomer() {
			r := get(u.Email, nil)
			r.owned = append(r.owned, it)
		}
	}
}

type userIndex struct {
	byEmail, byName map[string]*models.User
	byID            map[uint]*models.User
}

func indexUsers(all []models.User) userIndex {
	ix := userIndex{map[string]*models.User{}, map[string]*models.User{}, map[uint]*models.User{}}
	for i := range all {
		u := &all[i]
		ix.byEmail[normEmail(u.Email)] = u
		ix.byName[strings.ToLower(strings.TrimSpace(u.Name))] = u
		ix.byID[u.ID] = u
	}
	return ix
}

// resolve turns an assignee into an address: an email as it is, a name
// through the users; anything else cannot be mailed.
func (ix userIndex) resolve(assignee string) string {
	a := strings.TrimSpace(assignee)
	if strings.Contains(a, "@") {
		return normEmail(a)
	}
	if u := ix.byName[strings.ToLower(a)]; u != nil {
		return normEmail(u.Email)
	}
	return ""
}

// zoneOf is a recipient's time zone: the user's, else the customer's, and
// whether it is known (UTC when not).
func zoneOf(u *models.User, cust *models.Customer) (*time.Location, bool) {
	for _, tz := range []string{userTZ(u), customerTZ(cust)} {
		if tz == "" {
			continue
		}
		if l, err := time.LoadLocation(tz); err == nil {
			return l, true
		}
	}
	return time.UTC, false
}

func userTZ(u *models.User) string {
	if u == nil {
		return ""
	}
	return u.TimeZone
}

func customerTZ(c *models.Customer) string {
	if c == nil {
		return ""
	}
	return c.TimeZone
}
