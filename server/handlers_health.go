package server

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 503 while the database does not answer.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.store.DB().Ping(ctx); err != nil {
		s.log.Warn("not ready", "error", err)
		return &APIError{Status: http.StatusServiceUnavailable, Code: "not_ready", Message: "the database does not answer"}
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

// openAPI serves the OpenAPI description of /api/v1 (server/openapi).
func (s *Server) openAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, s.openapi)
}
