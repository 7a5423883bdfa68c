package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/sharecheck"
)

type homeData struct {
	*models.Attention
	Today models.Date
	// Waiting says how long each draft has waited since its incident was
	// resolved, against the 24-hour aim for shared postmortems.
	Waiting map[uint]sharecheck.TimelinessResult
}

func (s *Server) homePage(c echo.Context) error {
	today := s.store.Today()
	a, err := s.store.Attention(c.Request().Context(), currentUser(c), today)
	if err != nil {
		return err
	}
	d := homeData{a, today, map[uint]sharecheck.TimelinessResult{}}
	for _, pm := range a.Drafts {
		d.Waiting[pm.ID] = sharecheck.Timeliness(pm.ResolvedAt, pm.PublishedAt, s.store.Now())
	}
	return s.render(c, http.StatusOK, "home", "What needs attention", "home", d)
}
