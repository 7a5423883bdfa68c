package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/server"
)

// TestPageLinksUseTheRequestHostOnlyWhenNotConfigured (issue 20: the feed
// link pointed at localhost:8080 whatever the address): without
// AMENDS_BASE_URL a page links to the host it was reached at; with it, to
// the configured URL; and the feed itself, read by a machine, never
// trusts the Host it was asked with.
func TestPageLinksUseTheRequestHostOnlyWhenNotConfigured(t *testing.T) {
	scenarios := []struct {
		name     string
		cfg      server.Config
		host     string
		wantPage string
	}{
		{"guessed from --addr", server.Config{BaseURL: "http://localhost:9090", BaseURLGuessed: true}, "amends.lan:9090", "http://amends.lan:9090/feeds/"},
		{"guessed, odd host", server.Config{BaseURL: "http://localhost:9090", BaseURLGuessed: true}, "a@b", "http://localhost:9090/feeds/"},
		{"configured", server.Config{BaseURL: "https://amends.example.com"}, "amends.lan:9090", "https://amends.example.com/feeds/"},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			e := newEnv(t, testdb.SQLite(t))
			srv, err := server.New(sc.cfg, e.f.Store, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				t.Fatal(err)
			}
			e.srv = srv
			r := e.pageHost("POST", "/portal/subscriptions/feed", e.f.CustA.Email, sc.host)
			feed := regexp.MustCompile(`https?://[^"<\s]+/feeds/[A-Za-z0-9_-]+\.atom`).FindString(string(r.Body))
			if !strings.HasPrefix(feed, sc.wantPage) {
				t.Fatalf("feed link %q, want it under %s", feed, sc.wantPage)
			}
			// The feed is read with a forged Host: its links keep the base.
			req := httptest.NewRequest("GET", feed[strings.Index(feed, "/feeds/"):], nil)
			req.Host = "evil.example"
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, req)
			if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "evil.example") ||
				!strings.Contains(rec.Body.String(), sc.cfg.BaseURL) {
				t.Errorf("feed: %d, links not under %s:\n%s", rec.Code, sc.cfg.BaseURL, rec.Body.String())
			}
		})
	}
}

// pageHost is page with the request's Host set, signed in as email.
func (e *env) pageHost(method, path, email, host string) response {
	e.t.Helper()
	u, err := e.f.Store.UserByEmail(context.Background(), email)
	if err != nil {
		e.t.Fatal(err)
	}
	token, sess, err := e.f.Store.CreateSession(context.Background(), u.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	req := httptest.NewRequest(method, path, strings.NewReader(url.Values{"csrf": {sess.CSRF}}.Encode()))
	req.Host = host
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "amends_session", Value: token})
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return response{rec.Code, rec.Header(), rec.Body.Bytes()}
}
