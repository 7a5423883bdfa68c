package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

func (s *Server) getPublicSettings(c echo.Context) error {
	st, err := s.store.LoadPublicSettings(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

// putPublicSettings sets the public page's settings; fields left out keep
// their current values, so {"enabled": false} only turns the page off.
func (s *Server) putPublicSettings(c echo.Context) error {
	ctx := c.Request().Context()
	st, err := s.store.LoadPublicSettings(ctx)
	if err != nil {
		return err
	}
	if err := decodeJSON(c, &st); err != nil {
		return err
	}
	if st, err = s.store.SavePublicSettings(ctx, currentUser(c), st); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}
