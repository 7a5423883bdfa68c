package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

func (s *Server) listItems(c echo.Context) error {
	q := newQuery(c)
	f := models.ItemFilter{
		Status: q.list("status"), Priority: q.list("priority"), Owner: q.str("owner"),
		CustomerID: q.id("customer_id"), Assignee: q.str("assignee"), Overdue: q.boolean("overdue"),
		PostmortemID: q.id("postmortem_id"),
	}
	p := q.page()
	q.check(f.Validate())
	if err := q.err(); err != nil {
		return err
	}
	u := currentUser(c)
	items, next, err := s.store.ListItems(c.Request().Context(), u, f, p)
	if err != nil {
		return err
	}
	return page(c, s.itemViews(u, items), next)
}

func (s *Server) itemViews(u *models.User, items []models.ActionItem) []any {
	today := s.store.Today()
	return mapSlice(items, func(a *models.ActionItem) any { return itemFor(u, a, today) })
}

func (s *Server) listPostmortemItems(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u := currentUser(c)
	items, err := s.store.PostmortemItems(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	return page(c, s.itemViews(u, items), "")
}

func (s *Server) getItem(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u := currentUser(c)
	it, err := s.store.GetItem(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, itemFor(u, it, s.store.Today()))
}

func (s *Server) createItem(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in models.ItemInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u := currentUser(c)
	it, err := s.store.CreateItem(c.Request().Context(), u, id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, itemFor(u, it, s.store.Today()))
}

func (s *Server) updateItem(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var p models.ItemPatch
	if err := decodeJSON(c, &p); err != nil {
		return err
	}
	u := currentUser(c)
	it, err := s.store.UpdateItem(c.Request().Context(), u, id, p)
	if err != nil {
		return err
	}
	s.itemChanged(it)
	return c.JSON(http.StatusOK, itemFor(u, it, s.store.Today()))
}

func (s *Server) itemHistory(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	events, err := s.store.ItemHistory(c.Request().Context(), currentUser(c), id)
	if err != nil {
		return err
	}
	return page(c, mapSlice(events, newEventView), "")
}

func (s *Server) listComments(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u := currentUser(c)
	cs, err := s.store.ListComments(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	return page(c, mapSlice(cs, func(cm *models.Comment) commentView { return newCommentView(u, cm) }), "")
}

func (s *Server) addComment(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in models.CommentInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u := currentUser(c)
	cm, err := s.store.AddComment(c.Request().Context(), u, id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, newCommentView(u, cm))
}
