package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/notify"
)

func (s *Server) getReminderPolicy(c echo.Context) error {
	p, err := notify.LoadPolicy(c.Request().Context(), s.store)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// putReminderPolicy replaces the reminder policy; fields left out keep
// their defaults.
func (s *Server) putReminderPolicy(c echo.Context) error {
	p := notify.DefaultPolicy()
	if err := decodeJSON(c, &p); err != nil {
		return err
	}
	if err := notify.SavePolicy(c.Request().Context(), s.store, currentUser(c), p); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (s *Server) getDueDays(c echo.Context) error {
	days, err := s.store.DueDays(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, days)
}

// putDueDays sets, per priority, the days after creation an item without a
// due date is due; a priority left out gets none.
func (s *Server) putDueDays(c echo.Context) error {
	var days map[string]int
	if err := c.Bind(&days); err != nil {
		return badRequest("malformed_json", "the body must be a JSON object of priority to days, like {\"P0\": 14}", nil)
	}
	if err := s.store.SaveDueDays(c.Request().Context(), currentUser(c), days); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, days)
}

func (s *Server) getProviderSettings(c echo.Context) error {
	st, err := s.store.LoadProviderSettings(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

// putProviderSettings names the team our people appear as to customers.
func (s *Server) putProviderSettings(c echo.Context) error {
	var st models.ProviderSettings
	if err := decodeJSON(c, &st); err != nil {
		return err
	}
	st, err := s.store.SaveProviderSettings(c.Request().Context(), currentUser(c), st)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}
