package server

import (
	"net/http"
	"time"

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
	// CountsAsOf is when the counts were taken, if they are not fresh.
	CountsAsOf time.Time
	// Waiting says how long each draft has waited since its incident was
	// resolved, against the 24-hour aim for shared postmortems.
	Waiting map[uint]sharecheck.TimelinessResult
}

func (s *Server) homePage(c echo.Context) error {
	today := s.store.Today()
	a, asOf, err := s.attentionAsOf(c.Request().Context(), currentUser(c), today)
	if err != nil {
		return err
	}
	noStoreUnlessFresh(c, asOf)
	d := homeData{Attention: a, Top: a.Customers[:min(len(a.Customers), homeCustomers)], Today: today,
		CountsAsOf: asOf, Waiting: map[uint]sharecheck.TimelinessResult{}}
	for _, pm := range a.Drafts {
		d.Waiting[pm.ID] = sharecheck.Timeliness(pm.ResolvedAt, pm.PublishedAt, s.store.Now())
	}
	return s.render(c, http.StatusOK, "home", "What needs attention", "home", d)
}

// noStoreUnlessFresh marks a page with counts taken at asOf (not fresh)
// as not to be kept: fresh counts are on their way, and a reload should
// get them.
func noStoreUnlessFresh(c echo.Context, asOf time.Time) {
	if !asOf.IsZero() {
		c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	}
}
