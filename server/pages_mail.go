package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/notify"
)

type outboxData struct {
	Messages []notify.Message
	Now      time.Time
	Status   string
	TestTo   string
	Test     *mailTestResult
}

// mailTestResult is what the SMTP server said to the test message.
type mailTestResult struct {
	Answer string
	Failed bool
}

// outboxPage lists the mail outbox for admins: without SMTP configured,
// this is where reminders and invitations can be read.
func (s *Server) outboxPage(c echo.Context) error {
	return s.renderOutbox(c, http.StatusOK, outboxData{Status: c.QueryParam("status")})
}

func (s *Server) renderOutbox(c echo.Context, code int, d outboxData) error {
	msgs, err := s.outbox().List(c.Request().Context(), d.Status, 200)
	if err != nil {
		return err
	}
	d.Messages, d.Now = msgs, s.store.Now()
	return s.render(c, code, "outbox", "Outbox", "admin", d)
}

// mailTestForm sends one message at once, outside the outbox, and shows
// the SMTP server's answer, so an admin can check the settings.
func (s *Server) mailTestForm(c echo.Context) error {
	to := strings.TrimSpace(c.FormValue("to"))
	res := &mailTestResult{Failed: true}
	switch {
	case s.cfg.MailTest == nil:
		res.Answer = "mail is off: AMENDS_SMTP_URL is not set"
	case to == "":
		res.Answer = "give an address to send the test message to"
	default:
		ctx, cancel := context.WithTimeout(c.Request().Context(), 30*time.Second)
		defer cancel()
		answer, err := s.cfg.MailTest.SendTest(ctx, to)
		res.Answer, res.Failed = answer, err != nil
		if err != nil {
			res.Answer = err.Error()
			s.log.Warn("test mail", "to", to, "err", err)
		}
	}
	code := http.StatusOK
	if res.Failed {
		code = http.StatusUnprocessableEntity
	}
	return s.renderOutbox(c, code, outboxData{TestTo: to, Test: res})
}

type outboxMessageData struct {
	Message *notify.Message
	Shown   string
}

func (s *Server) outboxMessagePage(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	m, err := s.outbox().Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "outbox_message", m.Subject, "admin", outboxMessageData{m, m.ShownStatus(s.store.Now())})
}

// requeueForm sends a failed or uncertain message again.
func (s *Server) requeueForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	outbox := s.outbox()
	if _, err := outbox.Get(c.Request().Context(), id); err != nil {
		return err
	}
	if err := outbox.Requeue(c.Request().Context(), id); err != nil {
		var conflict *models.ConflictError
		if errors.As(err, &conflict) {
			s.setFlash(c, conflict.Message, true)
			return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/outbox/%d", id))
		}
		return err
	}
	return s.redirectWith(c, fmt.Sprintf("/admin/outbox/%d", id), "The message is queued again.")
}

type prefsData struct {
	Pref     notify.Pref
	Day      int // the chosen digest day, -1 for the default
	Weekdays []time.Weekday
	Error    string
}

var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// notificationsPage shows the signed-in user's notification preferences.
func (s *Server) notificationsPage(c echo.Context) error {
	p, err := notify.GetPref(c.Request().Context(), s.store, currentUser(c).Email)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "notifications", "Notifications", "", prefsData{Pref: p, Day: dayOf(p), Weekdays: weekdays})
}

func (s *Server) saveNotificationsForm(c echo.Context) error {
	p := notify.Pref{Email: currentUser(c).Email, Paused: c.FormValue("paused") == "on", TimeZone: c.FormValue("time_zone")}
	if d, err := strconv.Atoi(c.FormValue("digest_day")); err == nil && d >= 0 && d <= 6 {
		p.DigestDay = &d
	}
	err := notify.SavePref(c.Request().Context(), s.store, p)
	var invalid *models.ValidationError
	if errors.As(err, &invalid) {
		return s.render(c, http.StatusBadRequest, "notifications", "Notifications", "",
			prefsData{Pref: p, Day: dayOf(p), Weekdays: weekdays, Error: "Unknown time zone: use a name such as Europe/Berlin."})
	}
	if err != nil {
		return err
	}
	return s.redirectWith(c, "/settings/notifications", "Saved.")
}

// rotateUnsubscribeForm voids the unsubscribe links sent to the user so far.
func (s *Server) rotateUnsubscribeForm(c echo.Context) error {
	if err := notify.RotateUnsubscribe(c.Request().Context(), s.store, currentUser(c).Email); err != nil {
		return err
	}
	return s.redirectWith(c, "/settings/notifications#unsubscribe-links", "Earlier unsubscribe links no longer work.")
}

func dayOf(p notify.Pref) int {
	if p.DigestDay == nil {
		return -1
	}
	return *p.DigestDay
}

type unsubscribeData struct {
	Token, Email string
	Done         bool
}

// unsubscribePage confirms before pausing: mail scanners open links, and a
// GET must not change anything.
func (s *Server) unsubscribePage(c echo.Context) error {
	email, err := s.checkUnsubscribe(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "unsubscribe", "Pause emails", "", unsubscribeData{Token: c.QueryParam("token"), Email: email})
}

// unsubscribe pauses an address's reminders. It is public and takes no CSRF
// token, so that mail clients can post List-Unsubscribe=One-Click (RFC
// 8058); the signed token is what authorises it.
func (s *Server) unsubscribe(c echo.Context) error {
	email, err := s.checkUnsubscribe(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	p, err := notify.GetPref(ctx, s.store, email)
	if err != nil {
		return err
	}
	p.Paused = true
	if err := notify.SavePref(ctx, s.store, p); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "unsubscribe", "Emails paused", "", unsubscribeData{Email: email, Done: true})
}

func (s *Server) checkUnsubscribe(c echo.Context) (string, error) {
	signer, err := notify.NewSigner(c.Request().Context(), s.store)
	if err != nil {
		return "", err
	}
	email, err := signer.Check(c.QueryParam("token"))
	if err != nil {
		return "", errNotFound
	}
	return email, nil
}
