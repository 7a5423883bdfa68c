package server

import (
	"net/http"
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
// Static files, whose URLs carry a hash, and feeds say otherwise for
// themselves; so the default is added as the header goes out to the
// client, under the read cache, which keeps only what may be kept.
func (s *Server) secureHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	csp := contentSecurityPolicy("'none'")
	hsts := strings.HasPrefix(s.cfg.BaseURL, "https://")
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		res := c.Response()
		res.Writer = &noStoreByDefault{ResponseWriter: res.Writer}
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

// noStoreByDefault writes Cache-Control: no-store unless the answer set
// its own.
type noStoreByDefault struct {
	http.ResponseWriter
	wrote bool
}

func (w *noStoreByDefault) WriteHeader(code int) {
	if !w.wrote && w.Header().Get("Cache-Control") == "" {
		w.Header().Set("Cache-Control", "no-store")
	}
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

// Write covers an answer whose status was written to a writer above this
// one (the read cache records the handler's answer before sending it).
func (w *noStoreByDefault) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer, to
// flush.
func (w *noStoreByDefault) Unwrap() http.ResponseWriter { return w.ResponseWriter }
