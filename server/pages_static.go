package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/web"
)

var staticFiles = http.FileServer(http.FS(web.Static))

// static serves styles and scripts. Their URLs carry a hash of the files,
// so browsers may keep them for a year.
func (s *Server) static(c echo.Context) error {
	if c.Param("version") != web.StaticVersion {
		return errNotFound
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	req := c.Request().Clone(c.Request().Context())
	req.URL.Path = "/" + c.Param("*")
	staticFiles.ServeHTTP(c.Response(), req)
	return nil
}
