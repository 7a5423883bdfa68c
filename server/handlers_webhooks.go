package server

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

// A customer admin's outgoing webhooks, as on the subscriptions page. A URL
// that points at an address which is not public is refused with 400,
// naming the field and why (egress.Guard).

type webhookAnswer struct {
	ID        uint      `json:"id"`
	URL       string    `json:"url"`
	Secret    string    `json:"secret,omitempty"` // shown at creation only
	CreatedAt time.Time `json:"created_at"`
}

func newWebhookAnswer(h *models.Webhook) webhookAnswer {
	return webhookAnswer{ID: h.ID, URL: h.URL, CreatedAt: h.CreatedAt}
}

type webhookInput struct {
	URL string `json:"url"`
}

func (s *Server) listWebhooks(c echo.Context) error {
	hooks, err := s.store.Webhooks(c.Request().Context(), currentUser(c))
	if err != nil {
		return err
	}
	return page(c, mapSlice(hooks, newWebhookAnswer), "")
}

func (s *Server) createWebhook(c echo.Context) error {
	var in webhookInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	h, err := s.store.CreateWebhook(c.Request().Context(), currentUser(c), in.URL)
	if err != nil {
		return err
	}
	v := newWebhookAnswer(h)
	v.Secret = h.Secret
	return c.JSON(http.StatusCreated, v)
}

func (s *Server) deleteWebhook(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeleteWebhook(c.Request().Context(), currentUser(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
