package notify

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/go-co-op/gocron/v2"
)

// Interval is how often serve runs a pass: often enough that each
// recipient is reached within the first working hour of their day, and that
// mail waiting for a retry leaves soon after its backoff.
const Interval = 15 * time.Minute

// Start runs a pass now and every Interval until the returned function is
// called. Every replica may run it: idempotency keys stop a second copy of
// a note, and leases stop two passes sending the same row.
func Start(ctx context.Context, r *Reminder, log *slog.Logger, opts ...gocron.SchedulerOption) (func(), error) {
	sched, err := gocron.NewScheduler(opts...)
	if err != nil {
		return nil, fmt.Errorf("reminder scheduler: %w", err)
	}
	pass := func() {
		res, err := r.RunOnce(ctx)
		if err != nil {
			log.Error("reminder pass", "err", err)
			return
		}
		d := res.Delivery
		args := []any{"composed", len(res.Emails), "queued", res.Queued, "sent", d.Sent, "failed", d.Failed, "deferred", d.Deferred}
		if d.Err != nil {
			log.Warn("reminder pass: mail waits in the outbox", append(args, "err", d.Err)...)
			return
		}
		log.Info("reminder pass", args...)
	}
	_, err = sched.NewJob(gocron.DurationJob(Interval), gocron.NewTask(pass),
		gocron.WithSingletonMode(gocron.LimitModeReschedule), gocron.WithStartAt(gocron.WithStartImmediately()))
	if err != nil {
		return nil, fmt.Errorf("reminder job: %w", err)
	}
	sched.Start()
	return func() {
		if err := sched.Shutdown(); err != nil {
			log.Warn("stop reminders", "err", err)
		}
	}, nil
}
