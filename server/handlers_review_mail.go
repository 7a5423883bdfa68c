package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/notify"
)

// emailIssuedReport sends an issued review to the customer's review
// contacts through the outbox; asking twice sends nothing new.
func (s *Server) emailIssuedReport(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	n, err := notify.EmailIssued(c.Request().Context(), notify.NewOutbox(s.store), currentUser(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, map[string]int{"queued": n})
}
