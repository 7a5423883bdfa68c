package server

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

// The admins' users page: every user, its role and state, its API tokens
// with their last use, and the forms that take access back.

type usersData struct {
	Users []userView
	Roles []string
	Self  uint
	// Customers names the organisation of each customer user.
	Customers map[uint]string
	// Invitations are the staff invitations still usable; Invite is the
	// invitation form, empty or as typed when it was refused.
	Invitations []models.StaffInvitation
	Invite      staffInviteForm
	InviteDays  int // how long an invitation's link works
}

type staffInviteForm struct {
	Email, Role string
	Errors      map[string]string
}

func (s *Server) usersPage(c echo.Context) error {
	return s.renderUsers(c, http.StatusOK, staffInviteForm{Role: models.RoleSRE})
}

func (s *Server) renderUsers(c echo.Context, status int, invite staffInviteForm) error {
	ctx := c.Request().Context()
	users, err := s.store.Users(ctx, currentUser(c))
	if err != nil {
		return err
	}
	now := s.store.Now()
	d := usersData{Roles: models.StaffRoles, Self: currentUser(c).ID, Customers: map[uint]string{}, Invite: invite,
		InviteDays: invitationDays()}
	for i := range users {
		d.Users = append(d.Users, newUserView(&users[i].User, users[i].Tokens, now))
		if users[i].CustomerID != nil {
			d.Customers[users[i].ID] = users[i].Customer
		}
	}
	if d.Invitations, err = s.store.StaffInvitations(ctx, currentUser(c)); err != nil {
		return err
	}
	return s.render(c, status, "users", "Users", "users", d)
}

func (s *Server) setRoleForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u, err := s.store.SetRole(c.Request().Context(), currentUser(c), id, c.FormValue("role"))
	if err != nil {
		return s.backWithError(c, "/admin/users", err)
	}
	return s.redirectWith(c, userAnchor(id), fmt.Sprintf("%s is now %s.", u.Email, u.Role))
}

// setDisabledForm disables or enables a user, as the path says.
func (s *Server) setDisabledForm(disable bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		u, err := s.store.SetDisabled(c.Request().Context(), currentUser(c), id, disable)
		if err != nil {
			return s.backWithError(c, "/admin/users", err)
		}
		msg := u.Email + " may sign in again; earlier API tokens stay revoked."
		if disable {
			msg = u.Email + " is disabled: signed out everywhere, API tokens and feed URL revoked."
		}
		return s.redirectWith(c, userAnchor(id), msg)
	}
}

func (s *Server) revokeTokenForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	t, err := s.store.RevokeToken(c.Request().Context(), currentUser(c), id)
	if err != nil {
		return err
	}
	return s.redirectWith(c, userAnchor(t.UserID), fmt.Sprintf("Token %q no longer works.", t.Name))
}

func userAnchor(id uint) string { return fmt.Sprintf("/admin/users#user-%d", id) }
