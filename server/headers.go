package server

import (
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/web"
)

// contentSecurityPolicy allows scripts, styles and images from amends
// itself only: no inline script, no remote image (customer Markdown cannot
// plant a tracking pixel in staff pages), no plugin, and no framing by
// any site. The one inline style allowed is the monthly review's, by hash.
func contentSecurityPolicy(frameAncestors string) string {
	return "default-src 'self'; script-src 'self'; style-src 'self' " + strings.Join(web.InlineStyleHashes, " ") +
		"; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors " + frameAncestors
}

// secureHeaders sets the headers every answer carries. Answers are not
// stored by browsers or proxies unless their handler says otherwise:
// pages and API answers hold what only the signed-in user may read.
// Static files, whose URLs carry a hash, and feeds set their own
// Cache-Control, replacing this one.
func (s *Server) secureHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	csp := contentSecurityPolicy("'none'")
	hsts := strings.HasPrefix(s.cfg.BaseURL, "https://")
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		if hsts {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		return next(c)
	}
}

// frameableBySelf lets amends's own pages frame this answer (the review
// page shows the monthly review's HTML in a frame); other sites still
// cannot.
func frameableBySelf(c echo.Context) {
	h := c.Response().Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy("'self'"))
	h.Set("X-Frame-Options", "SAMEORIGIN")
}
