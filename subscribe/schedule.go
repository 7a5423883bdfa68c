package subscribe

import (
	"context"
	"log/slog"
	"time"
)

// Interval is how often serve runs a pass: a change reaches subscribers
// and webhooks within about a minute of settling.
const Interval = time.Minute

// Pass returns one pass for serve's scheduler, logging its outcome.
func Pass(ctx context.Context, j *Job, log *slog.Logger) func() {
	return func() {
		if err := j.Run(ctx, j.Store.Now()); err != nil {
			log.Error("subscriptions pass", "err", err)
		}
	}
}
