package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

type homeData struct {
	*models.Attention
	Today models.Date
}

func (s *Server) homePage(c echo.Context) error {
	today := s.store.Today()
	a, err := s.store.Attention(c.Request().Context(), currentUser(c), today)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "home", "What needs attention", "home", homeData{a, today})
}
