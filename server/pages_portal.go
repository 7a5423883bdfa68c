package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

type portalData struct {
	Postmortems []models.Postmortem
	Items       []models.ActionItem
	Titles      map[uint]string
	Today       models.Date
}

// portalPage is the customer's start page: what was shared with its
// organisation and the live state of every item on it.
func (s *Server) portalPage(c echo.Context) error {
	ctx, u := c.Request().Context(), currentUser(c)
	pms, _, err := s.store.ListPostmortems(ctx, u, models.PostmortemFilter{}, models.Page{Limit: models.MaxPageSize})
	if err != nil {
		return err
	}
	items, _, err := s.store.ListItems(ctx, u, models.ItemFilter{}, models.Page{Limit: models.MaxPageSize, Sort: "due_date"})
	if err != nil {
		return err
	}
	titles, err := s.store.PostmortemTitles(ctx, items)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "portal", "Postmortems shared with you", "portal",
		portalData{pms, items, titles, s.store.Today()})
}
