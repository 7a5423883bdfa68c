package server

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

// Users and their API tokens, for admins: who has access, and taking it
// back (models/access.go).

type tokenView struct {
	ID         uint       `json:"id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
	Active     bool       `json:"active"`
}

func newTokenView(t *models.APIToken, owner *models.User, now time.Time) tokenView {
	t.User = *owner
	return tokenView{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt, LastUsedAt: t.LastUsedAt,
		ExpiresAt: t.ExpiresAt, RevokedAt: t.RevokedAt, Active: t.Live(now)}
}

type userView struct {
	ID            uint        `json:"id"`
	Email         string      `json:"email"`
	Name          string      `json:"name"`
	Role          string      `json:"role"`
	CustomerID    *uint       `json:"customer_id"`
	CustomerAdmin bool        `json:"customer_admin"`
	Disabled      bool        `json:"disabled"`
	DisabledAt    *time.Time  `json:"disabled_at"`
	LastSignInAt  *time.Time  `json:"last_sign_in_at"`
	CreatedAt     time.Time   `json:"created_at"`
	Tokens        []tokenView `json:"tokens,omitempty"`
}

func newUserView(u *models.User, tokens []models.APIToken, now time.Time) userView {
	v := userView{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, CustomerID: u.CustomerID,
		CustomerAdmin: u.CustomerAdmin, Disabled: u.Disabled(), DisabledAt: u.DisabledAt, LastSignInAt: u.LastSignInAt,
		CreatedAt: u.CreatedAt}
	for i := range tokens {
		v.Tokens = append(v.Tokens, newTokenView(&tokens[i], u, now))
	}
	return v
}

func (s *Server) listUsers(c echo.Context) error {
	users, err := s.store.Users(c.Request().Context(), currentUser(c))
	if err != nil {
		return err
	}
	now := s.store.Now()
	out := make([]userView, len(users))
	for i := range users {
		out[i] = newUserView(&users[i].User, users[i].Tokens, now)
	}
	return page(c, out, "")
}

// userPatch changes a user's role or takes its access away; absent fields
// stay as they are.
type userPatch struct {
	Role     *string `json:"role"`
	Disabled *bool   `json:"disabled"`
}

func (s *Server) updateUser(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var p userPatch
	if err := decodeJSON(c, &p); err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), currentUser(c)
	if _, err := s.store.UserByID(ctx, actor, id); err != nil {
		return err
	}
	if p.Role != nil {
		if _, err := s.store.SetRole(ctx, actor, id, *p.Role); err != nil {
			return err
		}
	}
	if p.Disabled != nil {
		if _, err := s.store.SetDisabled(ctx, actor, id, *p.Disabled); err != nil {
			return err
		}
	}
	return s.userAnswer(c, id)
}

func (s *Server) getUser(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	return s.userAnswer(c, id)
}

// userAnswer is a user as the API shows it, with its tokens.
func (s *Server) userAnswer(c echo.Context, id uint) error {
	ctx, actor := c.Request().Context(), currentUser(c)
	u, err := s.store.UserByID(ctx, actor, id)
	if err != nil {
		return err
	}
	tokens, err := s.store.Tokens(ctx, actor, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newUserView(u, tokens, s.store.Now()))
}

func (s *Server) revokeToken(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.store.RevokeToken(c.Request().Context(), currentUser(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
