package notify

import (
	"context"
	"log/slog"
	"time"
)

// Interval is how often serve composes reminders: often enough that each
// recipient is reached within the first working hour of their day. Sending
// is the Sender's, within seconds of the queueing.
const Interval = 15 * time.Minute

// Pass returns one reminder pass for serve's scheduler, logging its outcome.
// It only composes and queues; the Sender sends. Replicas elect one leader
// to run it; should two passes ever overlap, idempotency keys stop a
// second copy of a note.
func Pass(ctx context.Context, r *Reminder, log *slog.Logger) func() {
	return func() {
		res, err := r.Queue(ctx)
		if err != nil {
			log.Error("reminder pass", "err", err)
			return
		}
		r.Metrics.observe(res)
		log.Info("reminder pass", "composed", res.Composed, "queued", res.Queued)
	}
}
