package notify

import (
	"context"
	"fmt"
	"log/slog"
	"slices"

	"github.com/amendsdev/amends/models"
)

// Reminder runs reminder passes: compose the notes due now, put them in the
// outbox, deliver what is due.
type Reminder struct {
	Store     *models.Store
	Outbox    *Outbox
	Transport Transport // nil: mail stays in the outbox
	BaseURL   string
	Metrics   *Metrics // may be nil
	Log       *slog.Logger
}

// PassResult says what one pass did.
type PassResult struct {
	Composed int // reminders due this pass, new or already in the outbox
	Queued   int // of those, new in the outbox
	Delivery DeliveryResult
}

// A pass first routes every open item to its recipients, keeping only item
// ids, then renders the recipients' notes a group at a time. A group holds
// at most groupMails emails and the items of at most groupItems ids, unless
// one recipient alone has more: one email lists all of a recipient's items.
const (
	groupMails = 200
	groupItems = models.ReminderBatch
)

// Compose renders the emails due now without storing anything, and hands
// them to emit a group at a time. It returns how many it composed.
func (r *Reminder) Compose(ctx context.Context, emit func([]Email) error) (int, error) {
	return r.compose(ctx, false, emit)
}

// Queue composes the notes due now and puts them in the outbox, which
// wakes the Sender; serve's pass does only this.
func (r *Reminder) Queue(ctx context.Context) (PassResult, error) {
	var res PassResult
	var err error
	res.Composed, err = r.compose(ctx, true, func(emails []Email) error {
		n, err := r.Outbox.Enqueue(ctx, emails)
		res.Queued += n
		return err
	})
	if err != nil {
		return res, fmt.Errorf("compose reminders: %w", err)
	}
	return res, nil
}

// RunOnce is one pass that also sends what is due, for `amends remind`.
// Composition commits before any mail is sent, so a pass that fails to
// send still leaves its mail waiting in the outbox.
func (r *Reminder) RunOnce(ctx context.Context) (PassResult, error) {
	res, err := r.Queue(ctx)
	if err != nil {
		return res, err
	}
	if res.Delivery, err = r.Outbox.Deliver(ctx, r.Transport); err != nil {
		return res, fmt.Errorf("deliver mail: %w", err)
	}
	r.Metrics.observe(res)
	return res, nil
}

// compose routes the open items, then renders and emits the notes group by
// group. With skipQueued, a note whose key is in the outbox already is
// counted but not rendered again: the outbox would ignore it.
func (r *Reminder) compose(ctx context.Context, skipQueued bool, emit func([]Email) error) (int, error) {
	c, rend, err := r.route(ctx)
	if err != nil {
		return 0, err
	}
	return r.composeRouted(ctx, c, rend, skipQueued, emit)
}

// composeRouted renders and emits the notes of routed items.
func (r *Reminder) composeRouted(ctx context.Context, c *composer, rend *Renderer, skipQueued bool, emit func([]Email) error) (int, error) {
	var err error
	composed := 0
	for rest := c.recipients(); len(rest) > 0; {
		group := rest[:groupLen(rest)]
		rest = rest[len(group):]
		if skipQueued {
			n := len(group)
			if group, err = r.Outbox.unqueued(ctx, group); err != nil {
				return composed, err
			}
			composed += n - len(group)
		}
		notes, err := r.notes(ctx, c, group)
		if err != nil {
			return composed, err
		}
		emails, err := render(rend, notes)
		if err != nil {
			return composed, err
		}
		if err := emit(emails); err != nil {
			return composed, err
		}
		composed += len(emails)
	}
	return composed, nil
}

// route reads what a pass needs and routes every open item, a batch at a
// time.
func (r *Reminder) route(ctx context.Context) (*composer, *Renderer, error) {
	policy, err := LoadPolicy(ctx, r.Store)
	if err != nil {
		return nil, nil, err
	}
	prefs, err := LoadPrefs(ctx, r.Store)
	if err != nil {
		return nil, nil, err
	}
	signer, err := NewSigner(ctx, r.Store)
	if err != nil {
		return nil, nil, err
	}
	rend, err := NewRenderer(r.BaseURL, policy, signer)
	if err != nil {
		return nil, nil, err
	}
	data, err := r.Store.LoadReminderData(ctx)
	if err != nil {
		return nil, nil, err
	}
	c := newComposer(policy, prefs, data, r.Store.Now())
	err = r.Store.EachOpenItems(ctx, func(items []models.ActionItem) error {
		c.add(items)
		return nil
	})
	return c, rend, err
}

// groupLen is how many of the recipients, in order, make the next group.
func groupLen(rs []*recipient) int {
	n, ids := 0, 0
	for n < len(rs) && n < groupMails {
		k := len(rs[n].items) + len(rs[n].owned)
		if n > 0 && ids+k > groupItems {
			break
		}
		ids += k
		n++
	}
	return n
}

// notes reads back the group's items and builds their notes. The items are
// dropped before rendering: a note keeps only what it shows of them.
func (r *Reminder) notes(ctx context.Context, c *composer, group []*recipient) ([]Note, error) {
	var ids []uint
	for _, rc := range group {
		ids = append(append(ids, rc.items...), rc.owned...)
	}
	slices.Sort(ids)
	rows, err := r.Store.OpenItemsByID(ctx, slices.Compact(ids))
	if err != nil {
		return nil, err
	}
	items := make(map[uint]*models.ActionItem, len(rows))
	for i := range rows {
		items[rows[i].ID] = &rows[i]
	}
	notes := make([]Note, 0, len(group))
	for _, rc := range group {
		if n, ok := c.note(rc, items); ok {
			notes = append(notes, n)
		}
	}
	return notes, nil
}

// render makes the emails of a group's notes.
func render(rend *Renderer, notes []Note) ([]Email, error) {
	emails := make([]Email, 0, len(notes))
	for i := range notes {
		e, err := rend.Render(&notes[i])
		if err != nil {
			return nil, err
		}
		emails = append(emails, e)
	}
	return emails, nil
}

// Deliver sends what waits in the outbox, whatever filled it.
func (r *Reminder) Deliver(ctx context.Context) (DeliveryResult, error) {
	d, err := r.Outbox.Deliver(ctx, r.Transport)
	r.Metrics.observe(PassResult{Delivery: d})
	return d, err
}
