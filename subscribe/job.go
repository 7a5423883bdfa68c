package subscribe

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/notify"
)

// Settle is how old an audit event must be before the job reads it, so
// that a slower transaction with a lower id commits first (PostgreSQL hands
// out ids before commit).
const Settle = 30 * time.Second

// batch is how many audit events one pass reads at most.
const batch = 500

// cursorName is the job's position in the audit trail; digestCursor holds
// the last day (days since 1970, UTC) whose digests were queued.
const (
	cursorName   = "subscriptions"
	digestCursor = "subscriptions-digest-day"
)

// Job fans changes out to subscribers and webhooks, and delivers webhooks.
type Job struct {
	Store  *models.Store
	Outbox *notify.Outbox
	// BaseURL is AMENDS_BASE_URL, for links in emails and feeds.
	BaseURL string
	// Client sends webhooks; NewClient refuses what the store's egress
	// guard refuses.
	Client *http.Client
}

// NewJob builds the job with a webhook client that refuses to reach
// addresses inside the operator's network, but for the ranges the
// operator allows (Store.Egress).
func NewJob(store *models.Store, base string) *Job {
	return &Job{Store: store, Outbox: notify.NewOutbox(store), BaseURL: Base(base), Client: NewClient(store.Egress())}
}

// Base is the absolute base URL of links, with a default for local runs.
func Base(base string) string {
	if base = strings.TrimRight(base, "/"); base == "" {
		return "http://localhost:8080"
	}
	return base
}

// Run is one pass at now: queue what changed, the digests of the day
// before, then send the webhooks that are due. It is idempotent, and
// safe to overlap with another pass (a replica taking over as leader):
// emails and deliveries are queued under unique keys, and each delivery
// attempt is claimed first.
func (j *Job) Run(ctx context.Context, now time.Time) error {
	// Both databases keep microseconds; so does everything the job writes.
	now = now.UTC().Truncate(time.Microsecond)
	if err := j.startMailCursor(ctx); err != nil {
		return err
	}
	for {
		n, err := j.fanOut(ctx, now)
		if err != nil || n < batch {
			return errors.Join(err, j.mailChanges(ctx, now), j.digests(ctx, now), j.deliver(ctx, now))
		}
	}
}

// fanOut reads one batch of events after the cursor and queues the
// webhook deliveries with the new cursor in one transaction. Emails have
// their own cursor (mailChanges), since they wait for a burst to end.
func (j *Job) fanOut(ctx context.Context, now time.Time) (int, error) {
	after, err := j.Store.Cursor(ctx, cursorName)
	if err != nil {
		return 0, err
	}
	events, err := j.Store.EventsAfter(ctx, after, now.Add(-Settle), batch)
	if err != nil || len(events) == 0 {
		return 0, err
	}
	customers, err := j.Store.SubscribedCustomers(ctx, models.SubscribeInstant, true)
	if err != nil {
		return 0, err
	}
	var deliveries []models.WebhookDelivery
	for _, cid := range customers {
		d, err := j.forCustomer(ctx, cid, events, now)
		if err != nil {
			return 0, err
		}
		deliveries = append(deliveries, d...)
	}
	last := events[len(events)-1].ID
	err = j.Store.DB().W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.QueueDeliveriesTx(tx, deliveries); err != nil {
			return err
		}
		return models.SetCursorTx(tx, cursorName, last)
	})
	return len(events), err
}

// forCustomer makes one organisation's webhook deliveries for a batch.
func (j *Job) forCustomer(ctx context.Context, cid uint, events []models.AuditEvent, now time.Time) ([]models.WebhookDelivery, error) {
	changes, err := j.Store.CustomerChanges(ctx, cid, events)
	if err != nil || len(changes) == 0 {
		return nil, err
	}
	org, err := j.organisation(ctx, cid)
	if err != nil {
		return nil, err
	}
	return j.deliveriesFor(ctx, org, changes, now)
}

// recipients are an organisation's subscribers of one mode whose emails
// are not paused (notify.Pref: the unsubscribe link of every amends email
// pauses them all), with the signer of their unsubscribe links.
func (j *Job) recipients(ctx context.Context, cid uint, mode string) ([]models.User, *notify.Signer, error) {
	users, err := j.Store.Subscribers(ctx, cid, mode)
	if err != nil || len(users) == 0 {
		return nil, nil, err
	}
	signer, err := notify.NewSigner(ctx, j.Store)
	if err != nil {
		return nil, nil, err
	}
	var out []models.User
	for _, u := range users {
		p, err := notify.GetPref(ctx, j.Store, u.Email)
		if err != nil {
			return nil, nil, err
		}
		if !p.Paused {
			out = append(out, u)
		}
	}
	return out, signer, nil
}

func (j *Job) organisation(ctx context.Context, cid uint) (*models.Customer, error) {
	return j.Store.GetCustomer(ctx, &models.User{Role: models.RoleCustomer, CustomerID: &cid}, cid)
}

// digests queues yesterday's digest (UTC) for every daily subscriber with
// something to read, once: a cursor holds the last day digested, and the
// day in each key makes a pass that races it a no-op.
func (j *Job) digests(ctx context.Context, now time.Time) error {
	today := now.UTC().Truncate(24 * time.Hour)
	from := today.Add(-24 * time.Hour)
	day := uint(from.Unix() / 86400)
	done, err := j.Store.Cursor(ctx, digestCursor)
	if err != nil || done >= day || now.Sub(today) < Settle {
		return err
	}
	customers, err := j.Store.SubscribedCustomers(ctx, models.SubscribeDaily, false)
	if err != nil {
		return err
	}
	var emails []notify.Email
	for _, cid := range customers {
		changes, err := j.Store.ChangesBetween(ctx, cid, from, today)
		if err != nil {
			return err
		}
		if len(changes) == 0 {
			continue
		}
		e, err := j.digestMails(ctx, cid, changes, from.Format(time.DateOnly))
		if err != nil {
			return err
		}
		emails = append(emails, e...)
	}
	err = j.Store.DB().W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if _, err := j.Outbox.EnqueueTx(tx, emails); err != nil {
			return fmt.Errorf("queue digests: %w", err)
		}
		return models.SetCursorTx(tx, digestCursor, day)
	})
	if err == nil && len(emails) > 0 {
		j.Outbox.Wake()
	}
	return err
}

func (j *Job) digestMails(ctx context.Context, cid uint, changes []models.CustomerChange, day string) ([]notify.Email, error) {
	org, err := j.organisation(ctx, cid)
	if err != nil {
		return nil, err
	}
	users, signer, err := j.recipients(ctx, cid, models.SubscribeDaily)
	if err != nil {
		return nil, err
	}
	var out []notify.Email
	for i := range users {
		e, err := changeMail(j.BaseURL, &users[i], signer, org.Name, changes, day)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}
