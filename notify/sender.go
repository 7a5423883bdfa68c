package notify

import (
	"context"
	"log/slog"
	"slices"
	"time"
)

// PollInterval is how often a Sender looks at the outbox without being
// woken: for mail another replica queued, and for retries whose backoff
// has passed.
const PollInterval = 3 * time.Second

// Sender sends mail as soon as there is some. serve runs one on every
// replica: claims and leases make each message leave once whichever
// replica takes it, so mail does not wait for a leader election.
type Sender struct {
	Outbox    *Outbox
	Transport Transport // nil: mail stays in the outbox
	Metrics   *Metrics  // may be nil
	Log       *slog.Logger
	// Poll overrides PollInterval (tests).
	Poll time.Duration
}

// Run delivers what is due, then waits for a wake-up from this process's
// Outbox or the next poll, until ctx ends.
func (s *Sender) Run(ctx context.Context) {
	if s.Transport == nil {
		return
	}
	poll := s.Poll
	if poll == 0 {
		poll = PollInterval
	}
	tick := time.NewTicker(poll)
	defer tick.Stop()
	for {
		s.Flush(ctx)
		select {
		case <-ctx.Done():
			return
		case <-s.Outbox.wake:
		case <-tick.C:
		}
	}
}

// Flush sends every message that is due now, and logs what it sent with
// how long the mail waited.
func (s *Sender) Flush(ctx context.Context) DeliveryResult {
	d, err := s.Outbox.Deliver(ctx, s.Transport)
	s.Metrics.observe(PassResult{Delivery: d})
	switch {
	case err != nil && ctx.Err() == nil:
		s.Log.Error("mail sender", "err", err)
	case d.Err != nil:
		s.Log.Warn("mail sender: mail waits in the outbox", "sent", d.Sent, "failed", d.Failed, "deferred", d.Deferred, "err", d.Err)
	case d.Sent+d.Failed > 0:
		s.Log.Info("mail sent", "sent", d.Sent, "failed", d.Failed, "waited_max", slices.Max(append(d.Waited, 0)).Round(time.Millisecond))
	}
	return d
}
