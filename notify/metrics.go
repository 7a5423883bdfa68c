package notify

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics counts mail: sent and failed per pass, and the queue's length
// read from the outbox when scraped, so every replica reports the same.
type Metrics struct {
	sent, failed, queued prometheus.Counter
	latency              prometheus.Histogram
}

// NewMetrics registers the mail metrics on reg.
func NewMetrics(reg prometheus.Registerer, o *Outbox) (*Metrics, error) {
	m := &Metrics{
		sent:   prometheus.NewCounter(prometheus.CounterOpts{Name: "amends_mail_sent_total", Help: "Emails the SMTP server accepted."}),
		failed: prometheus.NewCounter(prometheus.CounterOpts{Name: "amends_mail_failed_total", Help: "Emails refused for good or out of attempts."}),
		queued: prometheus.NewCounter(prometheus.CounterOpts{Name: "amends_mail_queued_total", Help: "Emails put in the outbox."}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "amends_mail_latency_seconds",
			Help:    "Time from an email's queueing (or the end of its working-hours hold) to its acceptance by the SMTP server.",
			Buckets: []float64{0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 6 * 3600}}),
	}
	waiting := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "amends_mail_outbox_waiting", Help: "Emails waiting in the outbox."},
		func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			n, err := o.Count(ctx, StatusQueued)
			if err != nil {
				return -1
			}
			return float64(n)
		})
	for _, c := range []prometheus.Collector{m.sent, m.failed, m.queued, m.latency, waiting} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *Metrics) observe(r PassResult) {
	if m == nil {
		return
	}
	m.sent.Add(float64(r.Delivery.Sent))
	m.failed.Add(float64(r.Delivery.Failed))
	m.queued.Add(float64(r.Queued))
	for _, w := range r.Delivery.Waited {
		m.latency.Observe(w.Seconds())
	}
}
