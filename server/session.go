package server

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

const (
	sessionCookie = "amends_session"
	// csrfCookie carries the token of forms shown before sign-in (the login
	// form), checked by double submit; a session has its own token.
	csrfCookie = "amends_csrf"
	csrfKey    = "csrf"
)

func (s *Server) secureCookies() bool { return strings.HasPrefix(s.cfg.BaseURL, "https://") }

func (s *Server) setSessionCookie(c echo.Context, value string, maxAge int) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: value, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(), MaxAge: maxAge})
}

// sessionUser signs the request in from its session cookie, if any, and
// makes sure a CSRF token exists for the forms of the page.
func (s *Server) sessionUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" {
			sess, err := s.sessionByCookie(c, ck.Value)
			switch {
			case err == nil:
				c.Set(userKey, &sess.User)
				c.Set(csrfKey, sess.CSRF)
				return next(c)
			case !errors.Is(err, models.ErrNotFound):
				return err
			}
		}
		token := ""
		if ck, err := c.Cookie(csrfCookie); err == nil && len(ck.Value) >= 32 {
			token = ck.Value
		} else {
			token = models.RandomSecret(24)
			c.SetCookie(&http.Cookie{Name: csrfCookie, Value: token, Path: "/", HttpOnly: true,
				SameSite: http.SameSiteLaxMode, Secure: s.secureCookies()})
		}
		c.Set(csrfKey, token)
		return next(c)
	}
}

// sessionByCookie finds the cookie's session; the store refuses one that
// expired and renews one due for renewal.
func (s *Server) sessionByCookie(c echo.Context, cookie string) (*models.Session, error) {
	return s.store.SessionByToken(c.Request().Context(), cookie)
}

func csrfToken(c echo.Context) string {
	t, _ := c.Get(csrfKey).(string)
	return t
}

var errCSRF = &APIError{Status: http.StatusForbidden, Code: "csrf_failed",
	Message: "This form has expired or did not come from amends. Reload the page and try again."}

// checkCSRF refuses unsafe requests whose form field or X-CSRF-Token header
// does not match the session's (or, before sign-in, the cookie's) token.
func checkCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		sent := c.Request().Header.Get("X-CSRF-Token")
		if sent == "" {
			sent = c.FormValue("csrf")
		}
		want := csrfToken(c)
		if want == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(want)) != 1 {
			return errCSRF
		}
		return next(c)
	}
}

// requirePage applies the policy to a page: anonymous visitors go to the
// sign-in page, then come back; the rest is as for the API.
func requirePage(p models.Permission) echo.MiddlewareFunc {
	api := requirePermission(p)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		guarded := api(next)
		return func(c echo.Context) error {
			if currentUser(c) == nil {
				to := "/login"
				if c.Request().Method == http.MethodGet && c.Request().URL.Path != "/" {
					to += "?next=" + url.QueryEscape(c.Request().URL.RequestURI())
				}
				return c.Redirect(http.StatusSeeOther, to)
			}
			return guarded(c)
		}
	}
}

type loginForm struct {
	Email, Next, Error string
	// Provider names the identity provider's button; "" when none is
	// configured. StaffPasswordsOff says the form is for customers only.
	Provider          string
	StaffPasswordsOff bool
}

// newLoginForm is the sign-in page's data, with the ways in that are on.
func (s *Server) newLoginForm(email, next string) loginForm {
	f := loginForm{Email: email, Next: next, StaffPasswordsOff: s.cfg.StaffPasswordsOff}
	if s.cfg.OIDC != nil {
		f.Provider = s.cfg.OIDC.Name()
	}
	return f
}

func (s *Server) loginPage(c echo.Context) error {
	if u := currentUser(c); u != nil {
		return c.Redirect(http.StatusSeeOther, homeOf(u))
	}
	return s.render(c, http.StatusOK, "login", "Sign in", "", s.newLoginForm("", safeNext(c.QueryParam("next"))))
}

// login signs a user in. Attempts are throttled per account (from every
// address) and per client address (for every account), and a wrong
// password never creates a session.
func (s *Server) login(c echo.Context) error {
	email := strings.ToLower(strings.TrimSpace(c.FormValue("email")))
	form := s.newLoginForm(email, safeNext(c.FormValue("next")))
	keys := signInKeys(email, c.RealIP())
	if wait := s.throttle.begin(keys); wait > 0 {
		return s.renderThrottled(c, form, wait)
	}
	u, err := s.store.Authenticate(c.Request().Context(), email, c.FormValue("password"))
	if errors.Is(err, models.ErrNotFound) {
		form.Error = "That email and password do not match."
		return s.render(c, http.StatusUnauthorized, "login", "Sign in", "", form)
	}
	if errors.Is(err, models.ErrUserDisabled) {
		form.Error = "This account is disabled. Ask an administrator of amends to enable it."
		return s.render(c, http.StatusForbidden, "login", "Sign in", "", form)
	}
	if err != nil {
		return err
	}
	// Only the right password learns this, as with a disabled account.
	if s.cfg.StaffPasswordsOff && !u.IsCustomer() {
		form.Error = "Staff sign in with " + form.Provider + ", not with a password."
		return s.render(c, http.StatusForbidden, "login", "Sign in", "", form)
	}
	s.throttle.succeeded(keys)
	return s.startSession(c, u, form.Next)
}

// renderThrottled answers a sign-in that must wait.
func (s *Server) renderThrottled(c echo.Context, form loginForm, wait time.Duration) error {
	secs := int(math.Ceil(wait.Seconds()))
	c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
	form.Error = fmt.Sprintf("Too many sign-in attempts for this account or from this address. Try again in %s.",
		(time.Duration(secs) * time.Second).String())
	return s.render(c, http.StatusTooManyRequests, "login", "Sign in", "", form)
}

// startSession signs u in, whichever way it proved who it is, and sends
// it on to next if that is a page it may open, else to its home.
func (s *Server) startSession(c echo.Context, u *models.User, next string) error {
	token, _, err := s.store.CreateSession(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	s.setSessionCookie(c, token, int(models.SessionTTL.Seconds()))
	to := next
	if to == "" || (u.IsCustomer() && !strings.HasPrefix(to, "/portal")) {
		to = homeOf(u)
	}
	return c.Redirect(http.StatusSeeOther, to)
}

func (s *Server) logout(c echo.Context) error {
	if ck, err := c.Cookie(sessionCookie); err == nil {
		if err := s.store.DeleteSession(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	s.setSessionCookie(c, "", -1)
	return c.Redirect(http.StatusSeeOther, "/login")
}

func homeOf(u *models.User) string {
	if u.IsCustomer() {
		return "/portal"
	}
	return "/"
}

// safeNext keeps redirects after sign-in on this site: a path of this
// origin, or nothing. It is checked as a browser reads it, after the
// browser drops tabs and newlines and takes a backslash for a slash, so
// "/%09/evil.example/" (a tab once decoded), "/\\evil" and "https:evil"
// are all refused.
func safeNext(next string) string {
	if next == "" || strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	// The browser resolves the target against this site; a path that does
	// not begin with one slash, or whose decoded form begins with two, can
	// name another host.
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.HasPrefix(u.Path, "//") || !strings.HasPrefix(u.Path, "/") {
		return ""
	}
	return next
}
