package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/sharecheck"
)

// homeCustomers bounds the start page's table, which is sorted by need.
const homeCustomers = 20

type homeData struct {
	*models.Attention
	// Top are the customers most in need, for the start page's table;
	// the customers page lists them all.
	Top   []models.CustomerAttention
	Today models.Date
	// Waiting says how long each draft has waited since its incident was
	// resolved, against the 24-hour aim for shared postmortems.
	Waiting map[uint]sharecheck.TimelinessResult
}

func (s *Server) homePage(c echo.Context) error {
	today := s.store.Today()
	a, err := s.store.AttentionFor(c.Request().Context(), currentUser(c), today)
	if err != nil {
		return err
	}
	d := homeData{Attention: a, Top: a.Customers[:min(len(a.Customers), homeCustomers)], Today: today,
		Waiting: map[uint]sharecheck.TimelinessResult{}}
	for _, pm := range a.Drafts {
		d.Waiting[pm.ID] = sharecheck.Timeliness(pm.ResolvedAt, pm.PublishedAt, s.store.Now())
	}
	return s.render(c, http.StatusOK, "home", "What needs attention", "home", d)
}
