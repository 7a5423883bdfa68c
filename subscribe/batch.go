package subscribe

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/notify"
)

// An instant subscriber gets one email per burst of changes to a
// postmortem (and its items): once the postmortem has been quiet for
// Quiet, or MaxHold after the burst's first change at the latest.
const (
	Quiet   = time.Minute
	MaxHold = 5 * time.Minute
)

// mailCursorName is how far every change email is sent; a postmortem whose
// burst was sent while an earlier one of another is still held has its own
// cursor, pmCursorPrefix + its id, until mailCursorName passes it.
const (
	mailCursorName = "subscriptions-mail"
	pmCursorPrefix = "subscriptions-mail-pm-"
)

// errRaced rolls back a pass whose read another pass has acted on first.
var errRaced = errors.New("another pass moved the change email cursor")

// burst is the unsent changes of one postmortem, in event order.
type burst struct {
	pm     uint
	events []models.AuditEvent
}

// plan is what a pass does with the events after the mail cursor: the
// bursts to send now, and how far the cursor may move.
type plan struct {
	ready  []burst
	cursor uint
}

// planBursts groups events (in id order, read up to now) by postmortem.
// Only the settled prefix is mailed: a later event may still be joined by
// one with a lower id. done holds the postmortems' own cursors.
func planBursts(events []models.AuditEvent, done map[uint]uint, from uint, now time.Time) plan {
	settled := now.Add(-Settle)
	lastAt := map[uint]time.Time{} // the latest change of each postmortem, settled or not
	for _, e := range events {
		if e.CreatedAt.After(lastAt[e.PostmortemID]) {
			lastAt[e.PostmortemID] = e.CreatedAt
		}
	}
	p := plan{cursor: from}
	byPM := map[uint]int{}
	var bursts []burst
	for _, e := range events {
		if !e.CreatedAt.Before(settled) {
			break
		}
		p.cursor = e.ID
		if e.ID <= done[e.PostmortemID] {
			continue // in a burst already sent
		}
		i, ok := byPM[e.PostmortemID]
		if !ok {
			i, byPM[e.PostmortemID] = len(bursts), len(bursts)
			bursts = append(bursts, burst{pm: e.PostmortemID})
		}
		bursts[i].events = append(bursts[i].events, e)
	}
	hold := p.cursor
	for _, b := range bursts {
		first := b.events[0]
		if now.Sub(lastAt[b.pm]) >= Quiet || now.Sub(first.CreatedAt) >= MaxHold {
			p.ready = append(p.ready, b)
		} else {
			hold = min(hold, first.ID-1)
		}
	}
	p.cursor = hold
	return p
}

// mailChanges queues the instant change emails of every burst that is
// ready, a batch of events at a time while the cursor moves.
func (j *Job) mailChanges(ctx context.Context, now time.Time) error {
	for {
		moved, err := j.mailBatch(ctx, now)
		if err != nil || !moved {
			return err
		}
	}
}

// mailBatch reads a batch of events after the mail cursor and queues the
// emails of the bursts that are ready, with the cursors, in one
// transaction; it wakes the sender. It says whether a full batch moved the
// cursor, so that there may be more to read now.
func (j *Job) mailBatch(ctx context.Context, now time.Time) (bool, error) {
	from, err := j.mailCursor(ctx)
	if err != nil {
		return false, err
	}
	events, err := j.Store.EventsAfter(ctx, from, now.Add(time.Microsecond), batch)
	if err != nil || len(events) == 0 {
		return false, err
	}
	done, err := j.pmCursors(ctx)
	if err != nil {
		return false, err
	}
	p := planBursts(events, done, from, now)
	emails, err := j.burstMails(ctx, p.ready)
	if err != nil {
		return false, err
	}
	err = j.Store.DB().W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := j.Outbox.EnqueueTx(tx, emails); err != nil {
			return err
		}
		for _, b := range p.ready {
			if err := models.SetCursorTx(tx, fmt.Sprint(pmCursorPrefix, b.pm), b.events[len(b.events)-1].ID); err != nil {
				return err
			}
		}
		// Only from where this pass read: a pass that raced it and moved
		// the cursor first wins, and this one rolls back (its emails have
		// the same keys).
		res := tx.Model(&models.ChangeCursor{}).Where("name = ? AND last_event_id = ?", mailCursorName, from).
			Update("last_event_id", p.cursor)
		if res.Error != nil {
			return fmt.Errorf("move the change email cursor: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return errRaced
		}
		// Cursors the mail cursor has passed are never read again.
		return tx.Where("name LIKE ? AND last_event_id <= ?", pmCursorPrefix+"%", p.cursor).Delete(&models.ChangeCursor{}).Error
	})
	if errors.Is(err, errRaced) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("queue change emails: %w", err)
	}
	if len(emails) > 0 {
		j.Outbox.Wake()
	}
	return len(events) == batch && p.cursor > from, nil
}

// mailCursor is where change emails stand.
func (j *Job) mailCursor(ctx context.Context) (uint, error) {
	return j.Store.Cursor(ctx, mailCursorName)
}

// startMailCursor starts change emails, on a database from before bursts,
// where the per-change emails stopped: the job's own cursor, before this
// pass moves it. A pass that races it finds the row there.
func (j *Job) startMailCursor(ctx context.Context) error {
	at, err := j.Store.Cursor(ctx, cursorName)
	if err != nil {
		return err
	}
	err = j.Store.DB().W.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&models.ChangeCursor{Name: mailCursorName, LastEventID: at}).Error
	if err != nil {
		return fmt.Errorf("start the change email cursor: %w", err)
	}
	return nil
}

func (j *Job) pmCursors(ctx context.Context) (map[uint]uint, error) {
	var rows []models.ChangeCursor
	if err := j.Store.DB().R.WithContext(ctx).Where("name LIKE ?", pmCursorPrefix+"%").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read postmortem email cursors: %w", err)
	}
	out := make(map[uint]uint, len(rows))
	for _, c := range rows {
		var pm uint
		if _, err := fmt.Sscanf(c.Name[len(pmCursorPrefix):], "%d", &pm); err == nil {
			out[pm] = c.LastEventID
		}
	}
	return out, nil
}

// burstMails makes each instant subscriber's email for each ready burst,
// from what their organisation may read of it (Store.CustomerChanges).
func (j *Job) burstMails(ctx context.Context, ready []burst) ([]notify.Email, error) {
	if len(ready) == 0 {
		return nil, nil
	}
	var events []models.AuditEvent
	for _, b := range ready {
		events = append(events, b.events...)
	}
	customers, err := j.Store.SubscribedCustomers(ctx, models.SubscribeInstant, false)
	if err != nil {
		return nil, err
	}
	var out []notify.Email
	for _, cid := range customers {
		changes, err := j.Store.CustomerChanges(ctx, cid, events)
		if err != nil || len(changes) == 0 {
			if err != nil {
				return nil, err
			}
			continue
		}
		e, err := j.customerBursts(ctx, cid, ready, changes)
		if err != nil {
			return nil, err
		}
		out = append(out, e...)
	}
	return out, nil
}

// customerBursts splits one organisation's changes by burst and makes its
// subscribers' emails; a burst's key is its postmortem and first event, so
// a pass that races or repeats this one queues nothing twice.
func (j *Job) customerBursts(ctx context.Context, cid uint, ready []burst, changes []models.CustomerChange) ([]notify.Email, error) {
	org, err := j.organisation(ctx, cid)
	if err != nil {
		return nil, err
	}
	users, signer, err := j.recipients(ctx, cid, models.SubscribeInstant)
	if err != nil || len(users) == 0 {
		return nil, err
	}
	byPM := map[uint][]models.CustomerChange{}
	for _, c := range changes {
		byPM[c.PostmortemID] = append(byPM[c.PostmortemID], c)
	}
	var out []notify.Email
	for _, b := range ready {
		cs := byPM[b.pm]
		if len(cs) == 0 {
			continue
		}
		key := fmt.Sprintf("pm%d-%d", b.pm, b.events[0].ID)
		for i := range users {
			e, err := burstMail(j.BaseURL, &users[i], signer, org.Name, cs, key)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		}
	}
	return out, nil
}
