package server

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

// Archiving an action item or a comment (models/items_archive.go): the
// API's DELETE archives, POST …/restore brings it back (admins), and the
// pages' buttons do the same through forms.

// decodeArchive reads the optional body of an archive: {"reason": …}.
func decodeArchive(c echo.Context) (models.ArchiveInput, error) {
	var in models.ArchiveInput
	body, err := requestBody(c)
	if err != nil {
		return in, badRequest("bad_request", "could not read the request body", nil)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return in, nil
	}
	return in, decodeJSON(c, &in)
}

func (s *Server) archiveItem(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	in, err := decodeArchive(c)
	if err != nil {
		return err
	}
	if err := s.store.ArchiveItem(c.Request().Context(), currentUser(c), id, in); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) restoreItem(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u := currentUser(c)
	it, err := s.store.RestoreItem(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, itemFor(u, it, s.store.Today()))
}

func (s *Server) listArchivedItems(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u := currentUser(c)
	items, err := s.store.ArchivedItems(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	return page(c, mapSlice(items, func(a *models.ActionItem) any { return archivedItemFor(u, a, s.store.Today()) }), "")
}

// archivedItemFor is an item with when it was archived.
func archivedItemFor(u *models.User, a *models.ActionItem, today models.Date) map[string]any {
	out := map[string]any{"item": itemFor(u, a, today)}
	if a.ArchivedAt.Valid {
		out["archived_at"] = a.ArchivedAt.Time.UTC()
	}
	return out
}

func commentPath(c echo.Context) (itemID, commentID uint, err error) {
	if itemID, err = pathID(c, "id"); err != nil {
		return 0, 0, err
	}
	commentID, err = pathID(c, "comment_id")
	return itemID, commentID, err
}

func (s *Server) archiveComment(c echo.Context) error {
	itemID, commentID, err := commentPath(c)
	if err != nil {
		return err
	}
	in, err := decodeArchive(c)
	if err != nil {
		return err
	}
	if err := s.store.ArchiveComment(c.Request().Context(), currentUser(c), itemID, commentID, in); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) restoreComment(c echo.Context) error {
	itemID, commentID, err := commentPath(c)
	if err != nil {
		return err
	}
	if err := s.store.RestoreComment(c.Request().Context(), currentUser(c), itemID, commentID); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) listArchivedComments(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u := currentUser(c)
	cs, err := s.store.ArchivedComments(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	return page(c, mapSlice(cs, func(cm *models.Comment) commentView { return newCommentView(u, cm) }), "")
}

// Pages.

func (s *Server) archiveItemForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, u := c.Request().Context(), currentUser(c)
	it, err := s.store.GetItem(ctx, u, id)
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/items/%d", id)
	if err := s.store.ArchiveItem(ctx, u, id, models.ArchiveInput{Reason: c.FormValue("reason")}); err != nil {
		return s.backWithError(c, back, err)
	}
	return s.redirectWith(c, fmt.Sprintf("/postmortems/%d#archived", it.PostmortemID),
		fmt.Sprintf("“%s” archived. An admin can restore it.", it.Title))
}

func (s *Server) restoreItemForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	it, err := s.store.RestoreItem(c.Request().Context(), currentUser(c), id)
	if err != nil {
		return err
	}
	return s.redirectWith(c, fmt.Sprintf("/items/%d", it.ID), fmt.Sprintf("“%s” restored.", it.Title))
}

func (s *Server) archiveCommentForm(c echo.Context) error {
	itemID, commentID, err := commentPath(c)
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/items/%d#comments", itemID)
	err = s.store.ArchiveComment(c.Request().Context(), currentUser(c), itemID, commentID,
		models.ArchiveInput{Reason: c.FormValue("reason")})
	if err != nil {
		return s.backWithError(c, back, err)
	}
	return s.redirectWith(c, back, "Comment archived. An admin can restore it.")
}

func (s *Server) restoreCommentForm(c echo.Context) error {
	itemID, commentID, err := commentPath(c)
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/items/%d#comments", itemID)
	if err := s.store.RestoreComment(c.Request().Context(), currentUser(c), itemID, commentID); err != nil {
		return s.backWithError(c, back, err)
	}
	return s.redirectWith(c, back, "Comment restored.")
}
