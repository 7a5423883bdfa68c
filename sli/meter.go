// Package sli measures SLOs from their SLIs in a Prometheus-compatible
// store (Prometheus, Thanos, Mimir, VictoriaMetrics), through the official
// client. It knows PromQL and the budget arithmetic of events and minutes;
// what a review or a postmortem page makes of the figures is theirs.
package sli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/prometheus/client_golang/api"
	promv1 "github.com/prometheus/client_golang/api/prometheus/v1"
)

// Config is how to reach the data source (AMENDS_PROMETHEUS_*).
type Config struct {
	URL string
	// Token is sent as a bearer token; Username and Password as basic
	// auth, when there is no token.
	Token, Username, Password string
	// Timeout bounds each query; Concurrency bounds the queries in flight
	// at once across the process, so that a review of many customers does
	// not flood the store.
	Timeout     time.Duration
	Concurrency int
}

// Defaults of the settings.
const (
	DefaultTimeout     = 30 * time.Second
	DefaultConcurrency = 4
)

// Meter runs SLI queries. A nil *Meter is a data source that is not
// configured: every figure is then recorded by hand.
type Meter struct {
	api     promv1.API
	url     string
	timeout time.Duration
	slots   chan struct{}
	log     *slog.Logger
	queries queryCounter
}

// New builds the meter; the URL must be an absolute http(s) URL.
func New(cfg Config, log *slog.Logger) (*Meter, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("AMENDS_PROMETHEUS_URL: want an absolute http(s) URL, got %q", cfg.URL)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	var rt http.RoundTripper = api.DefaultRoundTripper
	if cfg.Token != "" || cfg.Username != "" {
		rt = authTripper{next: rt, token: cfg.Token, user: cfg.Username, password: cfg.Password}
	}
	c, err := api.NewClient(api.Config{Address: cfg.URL, RoundTripper: rt})
	if err != nil {
		return nil, fmt.Errorf("AMENDS_PROMETHEUS_URL: %w", err)
	}
	return &Meter{api: promv1.NewAPI(c), url: u.Redacted(), timeout: cfg.Timeout,
		slots: make(chan struct{}, cfg.Concurrency), log: log}, nil
}

// authTripper adds the configured credentials to every request.
type authTripper struct {
	next                  http.RoundTripper
	token, user, password string
}

func (a authTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if a.token != "" {
		r.Header.Set("Authorization", "Bearer "+a.token)
	} else {
		r.SetBasicAuth(a.user, a.password)
	}
	return a.next.RoundTrip(r)
}

// Status says whether the data source answers.
type Status struct {
	Configured bool      `json:"configured"`
	Up         bool      `json:"up"`
	URL        string    `json:"url,omitempty"`
	Error      string    `json:"error,omitempty"`
	CheckedAt  time.Time `json:"checked_at"`
	LatencyMS  int64     `json:"latency_ms"`
}

// Status asks the data source for a trivial query.
func (m *Meter) Status(ctx context.Context, now time.Time) Status {
	if m == nil {
		return Status{CheckedAt: now}
	}
	start := time.Now()
	_, err := m.instant(ctx, "vector(1)", now)
	st := Status{Configured: true, Up: err == nil, URL: m.url, CheckedAt: now, LatencyMS: time.Since(start).Milliseconds()}
	if err != nil {
		st.Error = err.Error()
	}
	return st
}

// Queries is how many queries the meter has sent, for benchmarks and logs.
func (m *Meter) Queries() int64 { return m.queries.load() }

// The reasons a figure can be missing, as staff read them; customers read
// only "measurement unavailable".
const (
	ReasonUnreachable = "the data source did not answer"
	ReasonFailed      = "the data source refused the query"
	ReasonNoData      = "the query returned no data"
	Unavailable       = "measurement unavailable"
)

// QueryError is a query that gave no figure, with the query and why.
type QueryError struct {
	Query  string
	Reason string
	Err    error
}

func (e *QueryError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v (query %s)", e.Reason, e.Err, e.Query)
	}
	return fmt.Sprintf("%s (query %s)", e.Reason, e.Query)
}

func (e *QueryError) Unwrap() error { return e.Err }

// Reason is why a figure is missing, for staff: never the query or the
// store's own error text.
func Reason(err error) string {
	var qe *QueryError
	if errors.As(err, &qe) {
		return qe.Reason
	}
	return ReasonFailed
}

// classify wraps a client error with the reason a reader is told.
func classify(query string, err error) error {
	var pe *promv1.Error
	if errors.As(err, &pe) && (pe.Type == promv1.ErrBadData || pe.Type == promv1.ErrExec || pe.Type == promv1.ErrBadResponse) {
		return &QueryError{Query: query, Reason: ReasonFailed, Err: err}
	}
	return &QueryError{Query: query, Reason: ReasonUnreachable, Err: err}
}

// acquire waits for a free slot, or for ctx.
func (m *Meter) acquire(ctx context.Context) error {
	select {
	case m.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (m *Meter) release() { <-m.slots }
