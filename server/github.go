package server

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

// GitHubSyncer is what the server needs of the GitHub sync (sync/ghsync's
// Syncer). It is nil when no token is configured, and the GitHub routes
// then say the feature is off.
type GitHubSyncer interface {
	Link(ctx context.Context, actor *models.User, itemID uint, in models.GitHubLinkInput) (*models.ActionItem, error)
	// ItemChanged is called after an item change was committed, to push it.
	ItemChanged(itemID uint)
	SyncStatus(ctx context.Context) (models.GitHubStatus, error)
	// VerifyWebhook checks X-Hub-Signature-256; it refuses everything when
	// no webhook secret is configured.
	VerifyWebhook(body []byte, signature string) error
	// Deliver takes in a verified delivery and answers fast.
	Deliver(ctx context.Context, deliveryID, event string, body []byte) (string, error)
}

var (
	errGitHubDisabled = &APIError{Status: http.StatusUnprocessableEntity, Code: "github_disabled",
		Message: "GitHub sync is off: set AMENDS_GITHUB_TOKEN (and AMENDS_GITHUB_API_URL for GitHub Enterprise) and restart"}
	errWebhookRefused = &APIError{Status: http.StatusUnauthorized, Code: "webhook_signature_invalid",
		Message: "delivery refused: X-Hub-Signature-256 is missing or does not match, or no webhook secret is configured"}
)

func (s *Server) linkGitHub(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u := currentUser(c)
	if u.IsCustomer() {
		return errNotFound
	}
	if s.cfg.GitHub == nil {
		return errGitHubDisabled
	}
	var in models.GitHubLinkInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	it, err := s.cfg.GitHub.Link(c.Request().Context(), u, id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, itemFor(u, it, s.store.Today()))
}

func (s *Server) unlinkGitHub(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u := currentUser(c)
	if u.IsCustomer() {
		return errNotFound
	}
	it, err := s.store.UnlinkItem(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, itemFor(u, it, s.store.Today()))
}

// itemChanged tells the sync about a committed item change.
func (s *Server) itemChanged(it *models.ActionItem) {
	if s.cfg.GitHub != nil && it.GitHubRepo != "" {
		s.cfg.GitHub.ItemChanged(it.ID)
	}
}

type githubRepoView struct {
	Repo          string     `json:"repo"`
	Since         *time.Time `json:"since"`
	LastAttemptAt *time.Time `json:"last_attempt_at"`
	LastSuccessAt *time.Time `json:"last_success_at"`
	LastError     string     `json:"last_error"`
}

type githubStatusView struct {
	Enabled           bool             `json:"enabled"`
	Message           string           `json:"message,omitempty"`
	WebhookConfigured bool             `json:"webhook_configured"`
	RateRemaining     *int             `json:"rate_remaining"`
	RateReset         *time.Time       `json:"rate_reset"`
	LastSuccessAt     *time.Time       `json:"last_success_at"`
	Repos             []githubRepoView `json:"repos"`
}

func newGitHubStatusView(st models.GitHubStatus) githubStatusView {
	v := githubStatusView{Enabled: st.Enabled, Message: st.Message, WebhookConfigured: st.WebhookConfigured,
		RateRemaining: st.RateRemaining, RateReset: st.RateReset, Repos: []githubRepoView{}}
	for _, r := range st.Repos {
		v.Repos = append(v.Repos, githubRepoView{r.FullName, r.Since, r.LastAttemptAt, r.LastSuccessAt, r.LastError})
		// The oldest last success is how stale the least fresh repository is.
		if r.LastSuccessAt != nil && (v.LastSuccessAt == nil || r.LastSuccessAt.Before(*v.LastSuccessAt)) {
			v.LastSuccessAt = r.LastSuccessAt
		}
	}
	return v
}

func (s *Server) githubStatus(c echo.Context) error {
	if currentUser(c).IsCustomer() {
		return errNotFound
	}
	st := models.GitHubStatus{Message: errGitHubDisabled.Message}
	if s.cfg.GitHub != nil {
		var err error
		if st, err = s.cfg.GitHub.SyncStatus(c.Request().Context()); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, newGitHubStatusView(st))
}

// githubWebhook verifies the signature on the raw body before anything
// else reads it, then hands the delivery over and answers at once.
func (s *Server) githubWebhook(c echo.Context) error {
	body, err := requestBody(c)
	if err != nil {
		return badRequest("bad_request", "could not read the request body", nil)
	}
	if s.cfg.GitHub == nil || s.cfg.GitHub.VerifyWebhook(body, c.Request().Header.Get("X-Hub-Signature-256")) != nil {
		return errWebhookRefused
	}
	h := c.Request().Header
	outcome, err := s.cfg.GitHub.Deliver(c.Request().Context(), h.Get("X-GitHub-Delivery"), h.Get("X-GitHub-Event"), body)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if outcome == "accepted" {
		status = http.StatusAccepted
	}
	return c.JSON(status, map[string]string{"result": outcome})
}
