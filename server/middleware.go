package server

import (
	"errors"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

const userKey = "user"

// currentUser is the signed-in user, nil for anonymous requests.
func currentUser(c echo.Context) *models.User {
	u, _ := c.Get(userKey).(*models.User)
	return u
}

// logRequests writes one structured line per request, with its request id.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		if err := next(c); err != nil {
			c.Error(err)
		}
		attrs := []any{
			"request_id", requestID(c), "method", c.Request().Method, "route", c.Path(),
			"path", loggedPath(c), "status", c.Response().Status,
			"duration_ms", float64(time.Since(start).Microseconds()) / 1000,
		}
		if u := currentUser(c); u != nil {
			attrs = append(attrs, "user_id", u.ID)
		}
		s.log.Info("request", attrs...)
		return nil
	}
}

// secretPaths are the routes whose path holds a credential (a feed token,
// an invitation): their log lines show the route, never the path.
var secretPaths = map[string]bool{"/feeds/:file": true, "/invite/:token": true}

// loggedPath is the request path as it may be written to the log.
func loggedPath(c echo.Context) string {
	if secretPaths[c.Path()] {
		return c.Path()
	}
	return c.Request().URL.Path
}

// authenticate resolves a bearer token; requests without credentials go on
// anonymous and are refused by requirePermission where a user is needed.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Request().Header.Get(echo.HeaderAuthorization)
		if h == "" {
			// A signed-in browser may call the API too; its writes must
			// carry the session's CSRF token in X-CSRF-Token.
			return s.sessionUser(func(c echo.Context) error {
				if currentUser(c) == nil {
					return next(c)
				}
				return checkCSRF(next)(c)
			})(c)
		}
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return errUnauthorized
		}
		u, err := s.userByToken(c, strings.TrimSpace(token))
		if err != nil {
			return err
		}
		c.Set(userKey, u)
		return next(c)
	}
}

// userByToken finds the token's user; revoking a token or disabling its
// user works at the next request.
func (s *Server) userByToken(c echo.Context, token string) (*models.User, error) {
	u, err := s.store.UserByToken(c.Request().Context(), token)
	if errors.Is(err, models.ErrNotFound) {
		return nil, errUnauthorized
	}
	if err != nil {
		return nil, err
	}
	return u, nil
}

// routePolicy is the permission a route needs, kept per route so that a
// test can check every registered route has one.
type routePolicy struct {
	perm   models.Permission
	public bool
}

// requirePermission applies the policy: anonymous is 401, a staff role
// without the permission 403, and a customer user 404, as if the route did
// not exist for it.
func requirePermission(p models.Permission) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u := currentUser(c)
			switch {
			case u == nil:
				return errUnauthorized
			case u.Can(p):
				return next(c)
			case u.IsCustomer():
				return errNotFound
			}
			return errForbidden
		}
	}
}
