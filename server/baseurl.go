package server

import (
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/subscribe"
)

// pageBase is the base of the absolute links a page shows, such as a feed's
// address to copy. It is the operator's AMENDS_BASE_URL when set. When the
// base was only guessed from --addr (Config.BaseURLGuessed), it is the host
// the browser used to reach this very page, which is right behind a port
// mapping or a proxy where the guess is not. Emails, feeds and GitHub
// issues are built away from the page the link is shown on, so they always
// use Config.BaseURL: a Host header is whatever the client chose to send.
func (s *Server) pageBase(c echo.Context) string {
	configured := subscribe.Base(s.cfg.BaseURL)
	if !s.cfg.BaseURLGuessed {
		return configured
	}
	r := c.Request()
	if !plainHost(r.Host) {
		return configured
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// plainHost accepts a host or host:port and nothing else: no user, path,
// query or fragment can ride along into a link.
func plainHost(host string) bool {
	if host == "" {
		return false
	}
	u, err := url.Parse("http://" + host)
	return err == nil && u.Host == host && u.User == nil && u.Path == "" && u.RawQuery == "" && u.Fragment == "" && u.Hostname() != ""
}
