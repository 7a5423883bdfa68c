package server

import (
	"context"
	"fmt"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/sli"
)

// measuredFor is what the SLIs measured over the postmortem's incident,
// for its staff page; nothing when measuring is off or the incident has
// no window yet (the page says so).
func (s *Server) measuredFor(ctx context.Context, u *models.User, pm *models.Postmortem) ([]sli.Impact, string, error) {
	if s.cfg.SLI == nil {
		return nil, "", nil
	}
	imps, err := s.cfg.SLI.MeasurePostmortem(ctx, s.store, u, pm.ID)
	if err != nil {
		if me := measureError(err); me != err {
			return nil, sli.ErrNoWindow.Error(), nil
		}
		return nil, "", err
	}
	return imps, "", nil
}

// measureImpactsForm adopts the measured figures (all, or one SLO's).
func (s *Server) measureImpactsForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/postmortems/%d#impacts", id)
	f := newForm(c)
	var sloID uint
	if v := f.id("slo_id"); v != nil {
		sloID = *v
	}
	if err = f.err(); err == nil {
		if s.cfg.SLI == nil {
			err = errSLIDisabled
		} else {
			_, err = s.adopt(c.Request().Context(), currentUser(c), id, sloID)
		}
	}
	if err != nil {
		return s.backWithError(c, back, err)
	}
	return s.redirectWith(c, back, "Measured impact adopted; the history keeps the queries and the window.")
}

// setSLIForm sets or removes an SLO's SLI from the customer page.
func (s *Server) setSLIForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	sloID, err := pathID(c, "slo_id")
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/customers/%d#slos", id)
	in := models.SLIInput{GoodQuery: c.FormValue("good_query"), BadQuery: c.FormValue("bad_query"), TotalQuery: c.FormValue("total_query")}
	if _, err := s.store.SetSLI(c.Request().Context(), id, sloID, in); err != nil {
		return s.backWithError(c, back, err)
	}
	return s.redirectWith(c, back, "SLI saved.")
}
