package server_test

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/server"
	"github.com/amendsdev/amends/web"
)

// Issue 18: no CSP, no frame-ancestors, no nosniff and no Cache-Control
// on signed-in pages; staff forms could be framed, and customer Markdown
// could load a remote image (a tracking pixel) in staff pages.
func TestEveryAnswerCarriesTheSecurityHeaders(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	sre := e.f.SRE.Email
	pm := fmt.Sprintf("/postmortems/%d", e.f.SharedA.ID)
	for _, sc := range []struct {
		name  string
		r     response
		store bool // may be kept by the browser
	}{
		{"sign-in page", e.page("GET", "/login", "", nil), false},
		{"staff page", e.page("GET", pm, sre, nil), false},
		{"portal page", e.page("GET", "/portal", e.f.CustA.Email, nil), false},
		{"API read", e.do("GET", "/api/v1/action-items", sre, nil), false},
		{"API error", e.do("GET", "/api/v1/action-items/999999", sre, nil), false},
		{"not found page", e.page("GET", "/nowhere", sre, nil), false},
		{"static file", e.page("GET", "/static/"+web.StaticVersion+"/style.css", "", nil), true},
	} {
		t.Run(sc.name, func(t *testing.T) {
			h := sc.r.Header
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "script-src 'self'", "img-src 'self' data:", "frame-ancestors 'none'", "object-src 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "http") {
				t.Errorf("CSP %q allows inline code or a remote source", csp)
			}
			for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"} {
				if got := h.Get(k); got != want {
					t.Errorf("%s: %q, want %q", k, got, want)
				}
			}
			if cc := h.Get("Cache-Control"); sc.store == (cc == "no-store") {
				t.Errorf("Cache-Control %q", cc)
			}
			if h.Get("Strict-Transport-Security") != "" {
				t.Error("HSTS without an https base URL")
			}
		})
	}
	// The review page frames the review's HTML, and only amends may.
	r := e.do("GET", fmt.Sprintf("/api/v1/customers/%d/reports/2026-01?format=html", e.f.A.ID), sre, nil)
	if r.Status != 200 || !strings.Contains(r.Header.Get("Content-Security-Policy"), "frame-ancestors 'self'") {
		t.Errorf("review HTML: %d, CSP %q", r.Status, r.Header.Get("Content-Security-Policy"))
	}
	// Its style block is the one the CSP allows by hash.
	_, rest, _ := strings.Cut(string(r.Body), "<style>")
	css, _, _ := strings.Cut(rest, "</style>")
	sum := sha256.Sum256([]byte(css))
	if hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(r.Header.Get("Content-Security-Policy"), hash) {
		t.Errorf("the review's style block (%s) is not allowed by the CSP", hash)
	}
}

func TestHSTSBehindHTTPS(t *testing.T) {
	srv, _ := serverWith(t, server.Config{BaseURL: "https://amends.example.com"})
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/login", nil))
	if !strings.HasPrefix(rec.Header().Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("no HSTS behind https: %q", rec.Header().Get("Strict-Transport-Security"))
	}
}

// A customer's Markdown image from another host reaches staff pages as a
// link, never as an image the browser would fetch.
func TestCustomerMarkdownCannotPlantATrackingPixel(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	item := fmt.Sprintf("/api/v1/action-items/%d", e.f.CustomerItemA.ID)
	pixel := "![x](http://tracker.example/pixel.png)"
	if r := e.do("POST", item+"/comments", e.f.CustA.Email, map[string]any{"body": "Done. " + pixel}); r.Status != http.StatusCreated && r.Status != 200 {
		t.Fatalf("customer comment: %d %s", r.Status, r.Body)
	}
	r := e.page("GET", fmt.Sprintf("/items/%d", e.f.CustomerItemA.ID), e.f.SRE.Email, nil)
	if r.Status != 200 || !strings.Contains(string(r.Body), "tracker.example") {
		t.Fatalf("staff item page: %d, without the comment", r.Status)
	}
	if strings.Contains(string(r.Body), `src="http://tracker.example`) {
		t.Error("the staff page loads the customer's remote image")
	}
}
