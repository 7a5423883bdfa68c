package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/sso"
)

// oidcCookie carries a sign-in's sealed state, nonce and PKCE verifier
// from /login/oidc to its callback, in the browser that started it.
const oidcCookie = "amends_oidc"

// maxOIDCNext bounds the page remembered in the flow cookie, which a
// browser drops past 4 KB.
const maxOIDCNext = 1000

// setOIDCCookie sets or (maxAge < 0) clears the flow cookie. SameSite=Lax
// lets it ride along on the provider's top-level redirect back, and
// nowhere else.
func (s *Server) setOIDCCookie(c echo.Context, value string, maxAge int) {
	c.SetCookie(&http.Cookie{Name: oidcCookie, Value: value, Path: "/login/oidc", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(), MaxAge: maxAge})
}

// oidcStart sends the browser to the identity provider, remembering in
// its flow cookie where to come back to.
func (s *Server) oidcStart(c echo.Context) error {
	if s.cfg.OIDC == nil {
		return errNotFound
	}
	next := safeNext(c.QueryParam("next"))
	if len(next) > maxOIDCNext {
		next = ""
	}
	to, flow, err := s.cfg.OIDC.Begin(c.Request().Context(), next)
	if err != nil {
		return s.oidcRefused(c, err, nil)
	}
	s.setOIDCCookie(c, flow, int(sso.FlowTTL.Seconds()))
	return c.Redirect(http.StatusSeeOther, to)
}

// oidcCallback finishes a sign-in at the provider and signs the person in
// like a password would. The flow cookie is spent whatever happens. Each
// callback counts against the client address's sign-in throttle, since
// each costs a request to the provider; a success gives it back.
func (s *Server) oidcCallback(c echo.Context) error {
	if s.cfg.OIDC == nil {
		return errNotFound
	}
	keys := addressOnly(c.RealIP())
	if wait := s.throttle.begin(keys); wait > 0 {
		return s.renderThrottled(c, s.newLoginForm("", ""), wait)
	}
	flow := ""
	if ck, err := c.Cookie(oidcCookie); err == nil {
		flow = ck.Value
	}
	s.setOIDCCookie(c, "", -1)
	ctx := c.Request().Context()
	id, next, err := s.cfg.OIDC.Finish(ctx, flow, c.QueryParams())
	if err != nil {
		return s.oidcRefused(c, err, nil)
	}
	u, err := s.store.SignInFederated(ctx, models.FederatedSignIn{Issuer: id.Issuer, Subject: id.Subject,
		Email: id.Email, EmailVerified: id.EmailVerified, Name: id.Name, Role: id.Role})
	if err != nil {
		return s.oidcRefused(c, err, id)
	}
	s.throttle.succeeded(keys)
	s.log.Info("signed in through the identity provider", "request_id", requestID(c), "user_id", u.ID,
		"subject", id.Subject, "role", u.Role)
	if err := s.startSession(c, u, next); err != nil {
		return s.oidcRefused(c, err, id)
	}
	return nil
}

// oidcRefused answers a sign-in that did not go through with the sign-in
// page saying why, and logs the reason; nothing here is a bare 500.
func (s *Server) oidcRefused(c echo.Context, err error, id *sso.Identity) error {
	form := s.newLoginForm("", "")
	status := http.StatusForbidden
	var failure *sso.Failure
	var rule *models.RuleError
	switch {
	case errors.As(err, &failure):
		status, form.Error = failure.Status, failure.Message
	case errors.Is(err, models.ErrUserDisabled):
		form.Error = "This account is disabled. Ask an administrator of amends to enable it."
	case errors.As(err, &rule):
		form.Error = rule.Message
	default:
		status = http.StatusServiceUnavailable
		form.Error = "amends could not finish signing you in. Try again in a moment; if it goes on, tell an administrator of amends."
	}
	attrs := []any{"request_id", requestID(c), "status", status, "error", err}
	if id != nil {
		attrs = append(attrs, "subject", id.Subject)
	}
	if status >= 500 && failure == nil {
		s.log.Error("identity provider sign-in failed", attrs...)
	} else {
		s.log.Warn("identity provider sign-in refused", attrs...)
	}
	return s.render(c, status, "login", "Sign in", "", form)
}
