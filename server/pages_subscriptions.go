package server

import (
	"bytes"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/subscribe"
)

// A customer user chooses here how to hear of changes: email, a private
// Atom feed; customer admins also manage the organisation's webhooks.

type webhookView struct {
	ID  uint
	URL string
}

type deliveryView struct {
	ID                   uint
	URL, Status, Error   string
	EventID              uint
	Attempt, StatusCode  int
	NextRetry, CreatedAt string
}

type subscriptionsData struct {
	Mode       string
	Modes      []string
	FeedSince  *time.Time
	FeedURL    string // only right after it was made: it is never shown again
	Admin      bool
	Webhooks   []webhookView
	Deliveries []deliveryView
	NewSecret  string // only right after a webhook was made
	NewHookURL string
}

func (s *Server) subscriptionsPage(c echo.Context) error {
	return s.renderSubscriptions(c, subscriptionsData{})
}

func (s *Server) renderSubscriptions(c echo.Context, d subscriptionsData) error {
	ctx, u := c.Request().Context(), currentUser(c)
	var err error
	if d.Mode, err = s.store.SubscriptionOf(ctx, u); err != nil {
		return err
	}
	if d.FeedSince, err = s.store.HasFeed(ctx, u); err != nil {
		return err
	}
	d.Modes, d.Admin = models.SubscribeModes, u.IsCustomerAdmin()
	if d.Admin {
		if err := s.loadWebhooks(c, &d); err != nil {
			return err
		}
	}
	return s.render(c, http.StatusOK, "portal_subscriptions", "Subscriptions", "subscriptions", d)
}

func (s *Server) loadWebhooks(c echo.Context, d *subscriptionsData) error {
	ctx, u := c.Request().Context(), currentUser(c)
	hooks, err := s.store.Webhooks(ctx, u)
	if err != nil {
		return err
	}
	for _, h := range hooks {
		d.Webhooks = append(d.Webhooks, webhookView{h.ID, h.URL})
	}
	log, err := s.store.WebhookLog(ctx, u, 50)
	if err != nil {
		return err
	}
	for _, l := range log {
		v := deliveryView{ID: l.ID, URL: l.Webhook.URL, Status: l.Status, Error: l.LastError, EventID: l.EventID,
			Attempt: l.Attempts, StatusCode: l.LastStatusCode, CreatedAt: l.CreatedAt.Format("2006-01-02 15:04")}
		if l.Status == models.DeliveryPending {
			v.NextRetry = l.NextAttemptAt.Format("2006-01-02 15:04:05")
		}
		d.Deliveries = append(d.Deliveries, v)
	}
	return nil
}

func (s *Server) saveSubscriptionForm(c echo.Context) error {
	if err := s.store.Subscribe(c.Request().Context(), currentUser(c), c.FormValue("mode")); err != nil {
		return s.backWithError(c, "/portal/subscriptions", err)
	}
	return s.redirectWith(c, "/portal/subscriptions", "Email subscription saved.")
}

// newFeedForm makes (or remakes) the feed URL and shows it this once.
func (s *Server) newFeedForm(c echo.Context) error {
	token, err := s.store.NewFeedToken(c.Request().Context(), currentUser(c))
	if err != nil {
		return err
	}
	return s.renderSubscriptions(c, subscriptionsData{FeedURL: s.pageBase(c) + "/feeds/" + token + ".atom"})
}

func (s *Server) revokeFeedForm(c echo.Context) error {
	if err := s.store.RevokeFeedToken(c.Request().Context(), currentUser(c)); err != nil {
		return err
	}
	return s.redirectWith(c, "/portal/subscriptions", "The feed URL no longer works.")
}

// newWebhookForm adds a webhook and shows its secret this once.
func (s *Server) newWebhookForm(c echo.Context) error {
	h, err := s.store.CreateWebhook(c.Request().Context(), currentUser(c), c.FormValue("url"))
	if err != nil {
		return s.backWithError(c, "/portal/subscriptions#webhooks", err)
	}
	return s.renderSubscriptions(c, subscriptionsData{NewSecret: h.Secret, NewHookURL: h.URL})
}

func (s *Server) deleteWebhookForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeleteWebhook(c.Request().Context(), currentUser(c), id); err != nil {
		return err
	}
	return s.redirectWith(c, "/portal/subscriptions#webhooks", "Webhook deleted.")
}

// feed serves a user's private Atom feed. The token in the URL is the only
// credential, so an unknown or revoked one is a plain 404.
func (s *Server) feed(c echo.Context) error {
	token, ok := strings.CutSuffix(c.Param("file"), ".atom")
	if !ok {
		return errNotFound
	}
	ctx := c.Request().Context()
	u, err := s.store.UserByFeedToken(ctx, token)
	if err != nil {
		return err
	}
	cust, err := s.store.GetCustomer(ctx, u, *u.CustomerID)
	if err != nil {
		return err
	}
	changes, err := s.store.RecentChanges(ctx, cust.ID, 50)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := subscribe.Atom(&buf, subscribe.Base(s.cfg.BaseURL), cust.Name, cust.ID, changes, s.store.Now()); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, max-age=60")
	return c.Blob(http.StatusOK, "application/atom+xml; charset=utf-8", buf.Bytes())
}
