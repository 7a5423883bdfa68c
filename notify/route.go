package notify

import (
	"slices"
	"strings"
	"time"

	"github.com/amendsdev/amends/models"
)

// recipient is one address and what its note will list, by item id: small
// enough to keep for every open item of a pass, unlike the items.
type recipient struct {
	email    string
	customer *models.Customer // set for a customer's contacts
	today    models.Date      // their local date: the key's period
	digest   bool             // their digest day
	quiet    bool             // paused or outside their working hours: no note now
	items    []uint           // assigned to them, or owned by their organisation
	owned    []uint           // overdue items of postmortems they own, due for escalation
	late     []models.Postmortem
	// What a dry run says of those who get nothing now (explain.go).
	paused    bool
	loc       *time.Location
	digestDay time.Weekday
	open      int // open items they hear of, due now or not
	overdue   int // overdue items of their postmortems, escalated or not
	held      int // items that would be in their note but for quiet
}

func (r *recipient) kind() string {
	if r.customer != nil {
		return KindCustomerReminder
	}
	return KindReminder
}

// key is the outbox key of the recipient's note.
func (r *recipient) key() string {
	return Email{To: r.email, Kind: r.kind(), Period: r.today.String()}.Key()
}

// composer turns the open items into the notes due at one moment, in two
// steps so that a pass never holds every open item: route keeps, per
// recipient, the ids of the items their note will show; note builds the
// note from those items read back. The assignee of a provider item (an
// email, or a user's name) hears of it, the contacts of the customer owning
// an item (only items that customer may see), and the owner of the
// postmortem for escalations.
type composer struct {
	policy    Policy
	prefs     map[string]Pref
	now       time.Time
	data      *models.ReminderData
	users     userIndex
	customers map[uint]*models.Customer
	byKey     map[string]*recipient
	// unresolved counts open items whose assignee is neither an address
	// nor a user's name: nobody can be reminded of them.
	unresolved map[string]int
}

func newComposer(policy Policy, prefs map[string]Pref, d *models.ReminderData, now time.Time) *composer {
	c := &composer{policy: policy, prefs: prefs, now: now, data: d, users: indexUsers(d.Users),
		customers: map[uint]*models.Customer{}, byKey: map[string]*recipient{}, unresolved: map[string]int{}}
	for i := range d.Customers {
		c.customers[d.Customers[i].ID] = &d.Customers[i]
	}
	return c
}

// get finds or adds a recipient. A contact of two customers is one
// recipient, of the customer whose item came first.
func (c *composer) get(email string, cust *models.Customer) *recipient {
	key := normEmail(email)
	if cust != nil {
		key += "|customer"
	}
	r := c.byKey[key]
	if r == nil {
		r = &recipient{email: normEmail(email), customer: cust}
		loc, known := zoneOf(c.users.byEmail[r.email], cust)
		c.schedule(r, loc, known)
		c.byKey[key] = r
	}
	return r
}

// schedule settles the recipient's day: their preferred zone over the
// known one, working hours when a zone is known, pause and digest day.
func (c *composer) schedule(r *recipient, loc *time.Location, known bool) {
	pref := c.prefs[r.email]
	if l, err := time.LoadLocation(pref.TimeZone); pref.TimeZone != "" && err == nil {
		loc, known = l, true
	}
	local := c.now.In(loc)
	r.today = models.DateOf(local)
	h := local.Hour()
	r.quiet = pref.Paused || known && (h < c.policy.WorkStartHour || h >= c.policy.WorkEndHour)
	digestDay, _ := ParseWeekday(c.policy.DigestDay)
	if pref.DigestDay != nil {
		digestDay = time.Weekday(*pref.DigestDay)
	}
	r.digest = local.Weekday() == digestDay
	r.paused, r.loc, r.digestDay = pref.Paused, loc, digestDay
}

// add routes a batch of open items.
func (c *composer) add(items []models.ActionItem) {
	for i := range items {
		if pm := c.data.Postmortems[items[i].PostmortemID]; pm != nil { // else its postmortem was deleted
			c.route(&items[i], pm)
		}
	}
}

func (c *composer) route(it *models.ActionItem, pm *models.Postmortem) {
	if it.Owner == models.OwnerCustomer && it.CustomerID != nil {
		if cust := c.customerOf(it, pm); cust != nil {
			for _, addr := range cust.Contacts {
				c.list(c.get(addr, cust), it)
			}
		}
	} else if addr := c.users.resolve(it.Assignee); addr != "" {
		c.list(c.get(addr, nil), it)
	} else if a := strings.TrimSpace(it.Assignee); a != "" {
		c.unresolved[a]++
	}
	if pm.OwnerID != nil {
		if u := c.users.byID[*pm.OwnerID]; u != nil && !u.IsCustomer() {
			r := c.get(u.Email, nil)
			if it.IsOverdue(r.today) {
				r.overdue++
			}
			switch {
			case !c.policy.escalates(it, r.today):
			case r.quiet:
				r.held++
			default:
				r.owned = append(r.owned, it.ID)
			}
		}
	}
}

// customerOf is the customer that owns the item, when it may see the item
// and its postmortem: its contacts hear of it.
func (c *composer) customerOf(it *models.ActionItem, pm *models.Postmortem) *models.Customer {
	if it.Owner != models.OwnerCustomer || it.CustomerID == nil {
		return nil
	}
	reader := &models.User{Role: models.RoleCustomer, CustomerID: it.CustomerID}
	if cust := c.customers[*it.CustomerID]; cust != nil && reader.CanSeePostmortem(pm) && reader.CanSeeItem(it) {
		return cust
	}
	return nil
}

// mayTell checks an item read back for a customer's contact again: it may
// have become internal, or another customer's, since it was routed.
func (c *composer) mayTell(r *recipient, it *models.ActionItem) bool {
	if r.customer == nil {
		return true
	}
	pm := c.data.Postmortems[it.PostmortemID]
	if pm == nil {
		return false
	}
	cust := c.customerOf(it, pm)
	return cust != nil && slices.ContainsFunc(cust.Contacts, func(a string) bool { return normEmail(a) == r.email })
}

// list keeps the item for the recipient when their note will show it.
func (c *composer) list(r *recipient, it *models.ActionItem) {
	r.open++
	switch {
	case !r.digest && c.policy.section(it, r.today) == sectionNone:
	case r.quiet:
		r.held++
	default:
		r.items = append(r.items, it.ID)
	}
}

// recipients adds the late drafts to their owners and returns, in address
// order, those with something to be told now.
func (c *composer) recipients() []*recipient {
	for _, pm := range c.data.LateDrafts {
		if u := c.users.byID[*pm.OwnerID]; u != nil && !u.IsCustomer() {
			r := c.get(u.Email, nil)
			r.late = append(r.late, pm)
		}
	}
	out := make([]*recipient, 0, len(c.byKey))
	for _, r := range c.byKey {
		if !r.quiet && len(r.items)+len(r.owned)+len(r.late) > 0 {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b *recipient) int { return strings.Compare(a.email+a.kind(), b.email+b.kind()) })
	return out
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
