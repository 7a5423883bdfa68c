package notify

import (
	"context"
	"fmt"
	"log/slog"

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
	Emails   []Email // composed this pass, new or not
	Queued   int     // of those, new in the outbox
	Delivery DeliveryResult
}

// Compose renders the emails due now without storing anything.
func (r *Reminder) Compose(ctx context.Context) ([]Email, error) {
	policy, err := LoadPolicy(ctx, r.Store)
	if err != nil {
		return nil, err
	}
	prefs, err := LoadPrefs(ctx, r.Store)
	if err != nil {
		return nil, err
	}
	signer, err := NewSigner(ctx, r.Store)
	if err != nil {
		return nil, err
	}
	rend, err := NewRenderer(r.BaseURL, policy, signer)
	if err != nil {
		return nil, err
	}
	data, err := r.Store.LoadReminderData(ctx)
	if err != nil {
		return nil, err
	}
	notes := (&Composer{Policy: policy, Prefs: prefs}).Compose(data, r.Store.Now())
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

// RunOnce is one pass. Composition commits before any mail is sent, so a
// pass that fails to send still leaves its mail waiting in the outbox.
func (r *Reminder) RunOnce(ctx context.Context) (PassResult, error) {
	var res PassResult
	emails, err := r.Compose(ctx)
	if err != nil {
		return res, fmt.Errorf("compose reminders: %w", err)
	}
	res.Emails = emails
	if res.Queued, err = r.Outbox.Enqueue(ctx, emails); err != nil {
		return res, err
	}
	if res.Delivery, err = r.Outbox.Deliver(ctx, r.Transport); err != nil {
		return res, fmt.Errorf("deliver mail: %w", err)
	}
	r.Metrics.observe(res)
	return res, nil
}

// Deliver sends what waits in the outbox, whatever filled it.
func (r *Reminder) Deliver(ctx context.Context) (DeliveryResult, error) {
	d, err := r.Outbox.Deliver(ctx, r.Transport)
	r.Metrics.observe(PassResult{Delivery: d})
	return d, err
}
