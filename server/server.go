// Package server holds the HTTP surface of amends: Echo, routes, middleware,
// authentication and handlers. Handlers stay thin: parse, authorise, call the
// store, render.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/notify"
	"github.com/amendsdev/amends/reports"
	"github.com/amendsdev/amends/server/openapi"
	"github.com/amendsdev/amends/sli"
	"github.com/amendsdev/amends/sso"
)

// reviews builds reviews with the configured SLI data source.
func (s *Server) reviews() reports.Reviews {
	return reports.Reviews{Store: s.store, Meter: s.cfg.SLI}
}

// Config is what the server needs from the operator's settings.
type Config struct {
	Addr    string
	BaseURL string
	// BaseURLGuessed says BaseURL was built from Addr because
	// AMENDS_BASE_URL is unset: pages then link to the host they were
	// reached at (pageBase); emails and feeds keep BaseURL.
	BaseURLGuessed bool
	// Limits bound each request's time and size; zero fields take
	// DefaultLimits' values.
	Limits Limits
	// TrustedProxies are the addresses whose X-Forwarded-For is believed
	// (AMENDS_TRUSTED_PROXIES); with none, the client is the peer.
	TrustedProxies []*net.IPNet
	// GitHub is the GitHub sync; nil turns the feature off.
	GitHub GitHubSyncer
	// Outbox is serve's one outbox, whose queueing wakes its sender; nil
	// gives each request its own (mail then leaves at the sender's poll).
	Outbox *notify.Outbox
	// MailTest sends the outbox page's test message; nil when mail is off.
	MailTest MailTester
	// OIDC signs staff in through the company's identity provider; nil
	// when none is configured (its routes then answer 404).
	OIDC *sso.Client
	// StaffPasswordsOff leaves staff only the identity provider
	// (AMENDS_PASSWORD_LOGIN=off); customer users keep their passwords.
	StaffPasswordsOff bool
	// SLI measures SLOs from their SLIs (AMENDS_PROMETHEUS_URL); nil when
	// no data source is set, and every figure is then recorded by hand.
	SLI *sli.Meter
}

// MailTester sends one test message at once and returns the SMTP server's
// answer (notify.SMTP).
type MailTester interface {
	SendTest(ctx context.Context, to string) (string, error)
}

// outbox is the outbox to queue mail in.
func (s *Server) outbox() *notify.Outbox {
	if s.cfg.Outbox != nil {
		return s.cfg.Outbox
	}
	return notify.NewOutbox(s.store)
}

// Server is the HTTP service.
type Server struct {
	cfg      Config
	store    *models.Store
	log      *slog.Logger
	echo     *echo.Echo
	metrics  *metrics
	policies map[string]routePolicy
	pages    pages
	throttle *throttle
	// openapi is the API's description as served (openapi.JSON).
	openapi []byte
}

// New builds the server with every route registered. It fails when a page
// template does not parse.
func New(cfg Config, store *models.Store, log *slog.Logger) (*Server, error) {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	cfg.Limits = cfg.Limits.withDefaults()
	e.IPExtractor = clientIP(cfg.TrustedProxies)
	pg, err := loadPages()
	if err != nil {
		return nil, err
	}
	doc, err := openapi.JSON()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, store: store, log: log, echo: e, policies: map[string]routePolicy{},
		pages: pg, throttle: newThrottle(), openapi: doc}
	s.metrics = newMetrics(store)
	e.HTTPErrorHandler = s.errorHandler
	if err := s.routes(); err != nil {
		return nil, err
	}
	return s, nil
}

// Handler is the server as an http.Handler, for tests.
func (s *Server) Handler() http.Handler { return s.echo }

// Registry holds the server's Prometheus metrics, for other packages that
// add their own.
func (s *Server) Registry() *prometheus.Registry { return s.metrics.registry }

// Run listens on the configured address and serves until ctx is
// cancelled, then shuts down gracefully, letting requests in flight
// finish.
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln, with the limits' timeouts, until ctx is cancelled.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := s.httpServer()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("listening", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

// Route is a registered route and whether it needs no sign-in.
type Route struct {
	Method, Path string
	Public       bool
}

// Routes lists every route Echo serves, with whether a policy covers it, so
// that tests can check no route escapes the policy.
func (s *Server) Routes() (routes []Route, unguarded []string) {
	for _, r := range s.echo.Routes() {
		if r.Method == echo.RouteNotFound {
			continue // the 404 handlers Echo adds for groups
		}
		key := r.Method + " " + r.Path
		p, ok := s.policies[key]
		if !ok {
			unguarded = append(unguarded, key)
			continue
		}
		routes = append(routes, Route{Method: r.Method, Path: r.Path, Public: p.public})
	}
	return routes, unguarded
}
