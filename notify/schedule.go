package notify

import (
	"context"
	"log/slog"
	"time"
)

// Interval is how often serve runs a pass: often enough that each
// recipient is reached within the first working hour of their day, and that
// mail waiting for a retry leaves soon after its backoff.
const Interval = 15 * time.Minute

// Pass returns one reminder pass for serve's scheduler, logging its outcome.
// Replicas elect one leader to run it; should two passes ever overlap,
// idempotency keys stop a second copy of a note, and leases stop two passes
// sending the same row.
func Pass(ctx context.Context, r *Reminder, log *slog.Logger) func() {
	return func() {
		res, err := r.RunOnce(ctx)
		if err != nil {
			log.Error("reminder pass", "err", err)
			return
		}
		d := res.Delivery
		args := []any{"composed", res.Composed, "queued", res.Queued, "sent", d.Sent, "failed", d.Failed, "deferred", d.Deferred}
		if d.Err != nil {
			log.Warn("reminder pass: mail waits in the outbox", append(args, "err", d.Err)...)
			return
		}
		log.Info("reminder pass", args...)
	}
}
