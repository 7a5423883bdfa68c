package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

func (s *Server) listPostmortems(c echo.Context) error {
	q := newQuery(c)
	f := models.PostmortemFilter{
		Status: q.str("status"), Visibility: q.str("visibility"), Severity: q.str("severity"),
		CustomerID: q.id("customer_id"), Query: q.str("q"),
	}
	p := q.page()
	q.check(f.Validate())
	if err := q.err(); err != nil {
		return err
	}
	u := currentUser(c)
	pms, next, err := s.store.ListPostmortems(c.Request().Context(), u, f, p)
	if err != nil {
		return err
	}
	return page(c, mapSlice(pms, func(p *models.Postmortem) any { return postmortemFor(u, p) }), next)
}

func (s *Server) getPostmortem(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u := currentUser(c)
	pm, err := s.store.GetPostmortem(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, postmortemFor(u, pm))
}

func (s *Server) createPostmortem(c echo.Context) error {
	var in models.PostmortemInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	pm, err := s.store.CreatePostmortem(c.Request().Context(), currentUser(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, newPostmortemView(pm))
}

func (s *Server) updatePostmortem(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var p models.PostmortemPatch
	if err := decodeJSON(c, &p); err != nil {
		return err
	}
	pm, err := s.store.UpdatePostmortem(c.Request().Context(), currentUser(c), id, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newPostmortemView(pm))
}

func (s *Server) deletePostmortem(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeletePostmortem(c.Request().Context(), currentUser(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) postmortemHistory(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	events, err := s.store.PostmortemHistory(c.Request().Context(), currentUser(c), id)
	if err != nil {
		return err
	}
	return page(c, mapSlice(events, newEventView), "")
}

func (s *Server) listImpacts(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	imps, err := s.store.ListImpacts(c.Request().Context(), currentUser(c), id)
	if err != nil {
		return err
	}
	return page(c, mapSlice(imps, newImpactView), "")
}

func (s *Server) createImpact(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in models.ImpactInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	imp, err := s.store.CreateImpact(c.Request().Context(), currentUser(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, newImpactView(imp))
}

func (s *Server) updateImpact(c echo.Context) error {
	pmID, impactID, err := impactPath(c)
	if err != nil {
		return err
	}
	var p models.ImpactPatch
	if err := decodeJSON(c, &p); err != nil {
		return err
	}
	imp, err := s.store.UpdateImpact(c.Request().Context(), currentUser(c), pmID, impactID, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newImpactView(imp))
}

func (s *Server) deleteImpact(c echo.Context) error {
	pmID, impactID, err := impactPath(c)
	if err != nil {
		return err
	}
	if err := s.store.DeleteImpact(c.Request().Context(), currentUser(c), pmID, impactID); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func impactPath(c echo.Context) (pmID, impactID uint, err error) {
	if pmID, err = pathID(c, "id"); err != nil {
		return 0, 0, err
	}
	impactID, err = pathID(c, "impact_id")
	return pmID, impactID, err
}
