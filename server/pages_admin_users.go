package server

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/notify"
)

// Inviting staff, and managing a customer's users, for admins. Each
// invitation's email goes into the outbox in the transaction that creates
// it; its token exists in clear only there.

func (s *Server) inviteStaffForm(c echo.Context) error {
	ctx, u := c.Request().Context(), currentUser(c)
	form := staffInviteForm{Email: c.FormValue("email"), Role: c.FormValue("role")}
	outbox := s.outbox()
	_, inv, err := s.store.InviteStaff(ctx, u, form.Email, form.Role, mailInTx(outbox, func(inv *models.StaffInvitation, token string) (notify.Email, error) {
		return notify.StaffInvitation(s.cfg.BaseURL, u.Name, inv, token)
	}))
	if err != nil {
		fields, status, ok := formFailure(err)
		if !ok {
			return err
		}
		form.Errors = fields
		return s.renderUsers(c, status, form)
	}
	outbox.Wake()
	return s.redirectWith(c, "/admin/users#invitations",
		fmt.Sprintf("Invitation for %s as %s is in the outbox; the link works for %d days.", inv.Email, inv.Role, invitationDays()))
}

func (s *Server) revokeStaffInvitationForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.RevokeStaffInvitation(c.Request().Context(), currentUser(c), id); err != nil {
		return err
	}
	return s.redirectWith(c, "/admin/users#invitations", "Invitation withdrawn.")
}

func invitationDays() int { return int(models.InvitationTTL.Hours() / 24) }

type customerUsersData struct {
	Customer    *models.Customer
	Users       []models.User
	Invitations []models.Invitation
	Invite      customerInviteForm
}

type customerInviteForm struct {
	Email  string
	Admin  bool
	Errors map[string]string
}

func customerUsersPath(id uint) string { return fmt.Sprintf("/admin/customers/%d/users", id) }

func (s *Server) customerUsersPage(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	return s.renderCustomerUsers(c, http.StatusOK, id, customerInviteForm{})
}

func (s *Server) renderCustomerUsers(c echo.Context, status int, id uint, invite customerInviteForm) error {
	ctx, u := c.Request().Context(), currentUser(c)
	d := customerUsersData{Invite: invite}
	var err error
	if d.Users, err = s.store.CustomerUsers(ctx, u, id); err != nil {
		return err
	}
	if d.Customer, err = s.store.GetCustomer(ctx, u, id); err != nil {
		return err
	}
	if d.Invitations, err = s.store.CustomerInvitations(ctx, u, id); err != nil {
		return err
	}
	return s.render(c, status, "admin_customer_users", "Users of "+d.Customer.Name, "customers", d)
}

func (s *Server) inviteCustomerUserForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, u := c.Request().Context(), currentUser(c)
	cust, err := s.store.GetCustomer(ctx, u, id)
	if err != nil {
		return err
	}
	form := customerInviteForm{Email: c.FormValue("email"), Admin: c.FormValue("customer_admin") != ""}
	outbox := s.outbox()
	_, inv, err := s.store.InviteCustomerUser(ctx, u, id, form.Email, form.Admin, mailInTx(outbox, func(inv *models.Invitation, token string) (notify.Email, error) {
		return notify.Invitation(s.cfg.BaseURL, cust.Name, u.Name, inv, token)
	}))
	if err != nil {
		fields, status, ok := formFailure(err)
		if !ok {
			return err
		}
		form.Errors = fields
		return s.renderCustomerUsers(c, status, id, form)
	}
	outbox.Wake()
	return s.redirectWith(c, customerUsersPath(id)+"#invitations", fmt.Sprintf("Invitation for %s is in the outbox.", inv.Email))
}

func (s *Server) revokeCustomerInvitationForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	inv, err := pathID(c, "inv")
	if err != nil {
		return err
	}
	if err := s.store.RevokeCustomerInvitation(c.Request().Context(), currentUser(c), id, inv); err != nil {
		return err
	}
	return s.redirectWith(c, customerUsersPath(id)+"#invitations", "Invitation withdrawn.")
}

// setCustomerAdminForm makes a customer user its organisation's
// administrator, or takes that away, as the form's admin field says.
func (s *Server) setCustomerAdminForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	uid, err := pathID(c, "user_id")
	if err != nil {
		return err
	}
	back := customerUsersPath(id)
	admin := c.FormValue("customer_admin") == "true"
	u, err := s.store.SetCustomerAdmin(c.Request().Context(), currentUser(c), uid, admin)
	if err != nil {
		return s.backWithError(c, back, err)
	}
	msg := u.Email + " now administers the organisation: contacts, colleagues and invitations."
	if !admin {
		msg = u.Email + " no longer administers the organisation."
	}
	return s.redirectWith(c, back, msg)
}

// setCustomerUserDisabledForm disables or enables a customer user from its
// organisation's page (models.SetDisabled, as on the users page).
func (s *Server) setCustomerUserDisabledForm(disable bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		uid, err := pathID(c, "user_id")
		if err != nil {
			return err
		}
		back := customerUsersPath(id)
		u, err := s.store.SetDisabled(c.Request().Context(), currentUser(c), uid, disable)
		if err != nil {
			return s.backWithError(c, back, err)
		}
		msg := u.Email + " may sign in again."
		if disable {
			msg = u.Email + " is disabled: signed out everywhere, API tokens and feed URL revoked."
		}
		return s.redirectWith(c, back, msg)
	}
}
