package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

const publicSettingsTitle = "Public page"

// publicSettingsForm is the staff form of the public page's settings.
type publicSettingsForm struct {
	Settings models.PublicSettings
	URL      string
	Errors   map[string]string
}

// publicSettingsPage lets an admin turn the public page on or off and name
// it.
func (s *Server) publicSettingsPage(c echo.Context) error {
	st, err := s.store.LoadPublicSettings(c.Request().Context())
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "public_settings", publicSettingsTitle, "admin",
		publicSettingsForm{Settings: st, URL: s.publicURL("/status")})
}

// savePublicSettingsForm re-renders with what was typed when a field is
// refused.
func (s *Server) savePublicSettingsForm(c echo.Context) error {
	st := models.PublicSettings{Enabled: c.FormValue("enabled") == "on", Title: c.FormValue("title"),
		OrganisationName: c.FormValue("organisation_name"), Description: c.FormValue("description")}
	_, err := s.store.SavePublicSettings(c.Request().Context(), currentUser(c), st)
	var invalid *models.ValidationError
	if errors.As(err, &invalid) {
		return s.render(c, http.StatusBadRequest, "public_settings", publicSettingsTitle, "admin",
			publicSettingsForm{Settings: st, URL: s.publicURL("/status"), Errors: invalid.Fields})
	}
	if err != nil {
		return err
	}
	msg := "Saved: the public page is off; every /status address answers 404."
	if st.Enabled {
		msg = "Saved: the public page is on, for anyone."
	}
	return s.redirectWith(c, "/admin/public", msg)
}
