package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/reports/openslo"
)

// importOpenSLO reads OpenSLO YAML from the body and creates or updates the
// customer's SLOs by name. Documents that cannot be used are listed in
// "skipped" by name; YAML that does not parse is a 400.
func (s *Server) importOpenSLO(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if _, err := s.store.GetCustomer(ctx, currentUser(c), id); err != nil {
		return err
	}
	body, err := requestBody(c)
	if err != nil {
		return badRequest("bad_request", "could not read the request body", nil)
	}
	parsed, err := openslo.ParseBytes(body)
	if err != nil {
		return badRequest("invalid_openslo", err.Error(), nil)
	}
	res, err := openslo.ImportParsed(ctx, s.store, currentUser(c), id, parsed)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
