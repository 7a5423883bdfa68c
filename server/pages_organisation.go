package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/notify"
)

// Customer admins manage their organisation here: colleagues, review
// contacts and invitations. Everyone else gets 404 from the store, as if
// the pages did not exist.

type colleagueView struct {
	ID              uint
	Name, Email     string
	Admin, Disabled bool
	// Removable: the viewer may take this colleague out of the organisation.
	Removable bool
}

type invitationView struct {
	ID        uint
	Email     string
	ExpiresAt string
}

type organisationData struct {
	Name        string
	Colleagues  []colleagueView
	Contacts    string
	Invitations []invitationView
}

func (s *Server) organisationPage(c echo.Context) error {
	ctx, u := c.Request().Context(), currentUser(c)
	invs, err := s.store.PendingInvitations(ctx, u)
	if err != nil {
		return err
	}
	users, err := s.store.Colleagues(ctx, u)
	if err != nil {
		return err
	}
	cust, err := s.store.GetCustomer(ctx, u, *u.CustomerID)
	if err != nil {
		return err
	}
	d := organisationData{Name: cust.Name, Contacts: strings.Join(cust.Contacts, "\n")}
	for _, o := range users {
		d.Colleagues = append(d.Colleagues, colleagueView{ID: o.ID, Name: o.Name, Email: o.Email, Admin: o.CustomerAdmin,
			Disabled: o.Disabled(), Removable: !o.Disabled() && u.CanRemoveColleague(&o)})
	}
	for _, i := range invs {
		d.Invitations = append(d.Invitations, invitationView{i.ID, i.Email, i.ExpiresAt.Format("2006-01-02 15:04 UTC")})
	}
	return s.render(c, http.StatusOK, "portal_organisation", "Your organisation", "organisation", d)
}

// removeColleagueForm takes a colleague out of the organisation: signed
// out, tokens and feed revoked, at once (models.RemoveColleague).
func (s *Server) removeColleagueForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u, err := s.store.RemoveColleague(c.Request().Context(), currentUser(c), id)
	if err != nil {
		return s.backWithError(c, "/portal/organisation#colleagues", err)
	}
	return s.redirectWith(c, "/portal/organisation#colleagues", u.Name+" no longer has access to amends.")
}

func (s *Server) saveContactsForm(c echo.Context) error {
	contacts := strings.FieldsFunc(c.FormValue("contacts"), func(r rune) bool { return r == '\n' || r == ',' || r == '\r' })
	if _, err := s.store.SetContacts(c.Request().Context(), currentUser(c), contacts); err != nil {
		return s.backWithError(c, "/portal/organisation#contacts", err)
	}
	return s.redirectWith(c, "/portal/organisation#contacts", "Review contacts saved.")
}

// mailInTx announces an invitation: in the transaction that creates it, it
// puts the email compose writes into the outbox, so that the token exists
// in clear only in that email.
func mailInTx[T any](outbox *notify.Outbox, compose func(inv *T, token string) (notify.Email, error)) func(*gorm.DB, *T, string) error {
	return func(tx *gorm.DB, inv *T, token string) error {
		mail, err := compose(inv, token)
		if err != nil {
			return err
		}
		_, err = outbox.EnqueueTx(tx, []notify.Email{mail})
		return err
	}
}

// inviteForm creates an invitation and, in the same transaction, puts its
// email in the outbox.
func (s *Server) inviteForm(c echo.Context) error {
	ctx, u := c.Request().Context(), currentUser(c)
	back := "/portal/organisation#invitations"
	cust, err := s.store.GetCustomer(ctx, u, *u.CustomerID)
	if err != nil {
		return err
	}
	outbox := s.outbox()
	_, inv, err := s.store.InviteWith(ctx, u, c.FormValue("email"), mailInTx(outbox, func(inv *models.Invitation, token string) (notify.Email, error) {
		return notify.Invitation(s.cfg.BaseURL, cust.Name, u.Name, inv, token)
	}))
	if err != nil {
		return s.backWithError(c, back, err)
	}
	outbox.Wake()
	return s.redirectWith(c, back, "Invitation sent to "+inv.Email+".")
}

func (s *Server) revokeInvitationForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.RevokeInvitation(c.Request().Context(), currentUser(c), id); err != nil {
		return err
	}
	return s.redirectWith(c, "/portal/organisation#invitations", "Invitation withdrawn.")
}

type inviteData struct {
	Email, Name, Error string
	Spent              bool
	MinLen             int
}

// invitePage is where an invited colleague chooses a name and password.
func (s *Server) invitePage(c echo.Context) error {
	// The token is in the URL: keep it out of Referer headers.
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	inv, err := s.store.InviteeByToken(c.Request().Context(), c.Param("token"))
	if errors.Is(err, models.ErrInvitationSpent) {
		return s.render(c, http.StatusGone, "invite", "Invitation", "", inviteData{Spent: true})
	}
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "invite", "Join amends", "", inviteData{Email: inv.Email, MinLen: models.MinPasswordLen})
}

// acceptInvite spends the invitation, creates the user and signs them in.
func (s *Server) acceptInvite(c echo.Context) error {
	ctx := c.Request().Context()
	u, err := s.store.AcceptInvitation(ctx, c.Param("token"), c.FormValue("name"), c.FormValue("password"))
	if errors.Is(err, models.ErrInvitationSpent) {
		return s.render(c, http.StatusGone, "invite", "Invitation", "", inviteData{Spent: true})
	}
	var invalid *models.ValidationError
	if errors.As(err, &invalid) {
		d := inviteData{Name: c.FormValue("name"), Error: invalid.Error(), MinLen: models.MinPasswordLen}
		return s.render(c, http.StatusBadRequest, "invite", "Join amends", "", d)
	}
	if err != nil {
		return err
	}
	token, _, err := s.store.CreateSession(ctx, u.ID)
	if err != nil {
		return err
	}
	s.setSessionCookie(c, token, int(models.SessionTTL.Seconds()))
	return c.Redirect(http.StatusSeeOther, homeOf(u))
}
