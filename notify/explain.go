package notify

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Skipped is an address that gets no reminder now, and why: what
// `amends remind --dry-run` prints after the emails it would compose.
type Skipped struct {
	Email  string
	Kind   string // KindReminder or KindCustomerReminder; "" for an assignee with no address
	Reason string
}

// DryRun composes the emails due now like Compose, storing nothing, and
// also returns who hears of open items but gets nothing now, and why:
// paused, outside working hours in their zone, or nothing due.
func (r *Reminder) DryRun(ctx context.Context, emit func([]Email) error) (int, []Skipped, error) {
	c, rend, err := r.route(ctx)
	if err != nil {
		return 0, nil, err
	}
	n, err := r.composeRouted(ctx, c, rend, false, emit)
	if err != nil {
		return n, nil, err
	}
	return n, c.skipped(), nil
}

// skipped lists, in address order, the recipients with no note now, then
// the assignees no address was found for. Call it after recipients().
func (c *composer) skipped() []Skipped {
	var out []Skipped
	for _, r := range c.byKey {
		if r.quiet || len(r.items)+len(r.owned)+len(r.late) == 0 {
			out = append(out, Skipped{Email: r.email, Kind: r.kind(), Reason: c.reason(r)})
		}
	}
	slices.SortFunc(out, func(a, b Skipped) int { return strings.Compare(a.Email+a.Kind, b.Email+b.Kind) })
	names := make([]string, 0, len(c.unresolved))
	for a := range c.unresolved {
		names = append(names, a)
	}
	slices.Sort(names)
	for _, a := range names {
		out = append(out, Skipped{Email: a, Reason: fmt.Sprintf(
			"assignee of %s is neither an email address nor the name of a user: nobody is reminded of them",
			plural(c.unresolved[a], "open item"))})
	}
	return out
}

// reason says why a recipient gets nothing now.
func (c *composer) reason(r *recipient) string {
	held := ""
	if n := r.held + len(r.late); n > 0 {
		held = fmt.Sprintf("; %s would be in the note", plural(n, "line"))
	}
	local := c.now.In(r.loc)
	switch {
	case r.paused:
		return "emails paused (the recipient's notification settings or an unsubscribe link)" + held
	case r.quiet:
		return fmt.Sprintf("outside working hours: %s in %s, reminders go out %02d:00-%02d:00 there%s",
			local.Format("Mon 15:04"), r.loc, c.policy.WorkStartHour, c.policy.WorkEndHour, held)
	}
	why := []string{fmt.Sprintf("%s they hear of, none critical and overdue or due in exactly %d days",
		plural(r.open, "open item"), c.policy.HeadsUpDays)}
	if r.overdue > 0 {
		why = append(why, plural(r.overdue, "overdue item")+" of their postmortems, none due for escalation today")
	}
	why = append(why, fmt.Sprintf("today (%s in %s) is not their digest day (%s)",
		local.Format("Monday"), r.loc, strings.ToLower(r.digestDay.String())))
	return "nothing due: " + strings.Join(why, "; ")
}
