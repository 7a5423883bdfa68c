package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/reports"
)

// emailIssuedReport sends an issued review to the customer's review
// contacts through the outbox; asking twice sends nothing new.
func (s *Server) emailIssuedReport(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	n, err := reports.EmailIssued(c.Request().Context(), s.store, s.outbox(), currentUser(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, map[string]int{"queued": n})
}
