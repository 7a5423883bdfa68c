package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/sli"
)

type providerData struct {
	TeamName string
	Error    string
	// Prometheus says whether the SLI data source answers.
	Prometheus sli.Status
}

// providerPage lets an admin name the team our people appear as to
// customers.
func (s *Server) providerPage(c echo.Context) error {
	st, err := s.store.LoadProviderSettings(c.Request().Context())
	if err != nil {
		return err
	}
	d := providerData{TeamName: st.TeamName, Prometheus: s.cfg.SLI.Status(c.Request().Context(), s.store.Now())}
	return s.render(c, http.StatusOK, "provider", "How customers see us", "admin", d)
}

// saveProviderForm re-renders with what was typed when the name is refused.
func (s *Server) saveProviderForm(c echo.Context) error {
	typed := c.FormValue("team_name")
	_, err := s.store.SaveProviderSettings(c.Request().Context(), currentUser(c), models.ProviderSettings{TeamName: typed})
	var invalid *models.ValidationError
	if errors.As(err, &invalid) {
		return s.render(c, http.StatusBadRequest, "provider", "How customers see us", "admin",
			providerData{TeamName: typed, Error: "Team name " + invalid.Fields["team_name"] + "."})
	}
	if err != nil {
		return err
	}
	return s.redirectWith(c, "/admin/provider", "Saved: reviews show our people as this team from now on.")
}
