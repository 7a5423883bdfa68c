package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/server"
)

// browser is an HTTP client with cookies, as a browser signs in.
type browser struct {
	t      *testing.T
	base   string
	client *http.Client
}

func newBrowser(t *testing.T, h http.Handler) *browser {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: srv.URL, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) get(path string) (int, string, http.Header) {
	b.t.Helper()
	resp, err := b.client.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

func (b *browser) post(path string, form url.Values) (int, string, http.Header) {
	b.t.Helper()
	resp, err := b.client.PostForm(b.base+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the CSRF token of a form on the page at path.
func (b *browser) csrf(path string) string {
	b.t.Helper()
	_, body, _ := b.get(path)
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("no CSRF field on %s", path)
	}
	return m[1]
}

func (b *browser) login(email, password string) int {
	b.t.Helper()
	status, _, _ := b.post("/login", url.Values{"email": {email}, "password": {password}, "csrf": {b.csrf("/login")}})
	return status
}

func TestSignInAndOut(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	b := newBrowser(t, e.srv.Handler())
	if status, _, h := b.get("/items?overdue=true"); status != http.StatusSeeOther || h.Get("Location") != "/login?next=%2Fitems%3Foverdue%3Dtrue" {
		t.Fatalf("anonymous page: %d to %q", status, h.Get("Location"))
	}
	token := b.csrf("/login")
	status, _, h := b.post("/login", url.Values{"email": {e.f.SRE.Email}, "password": {testdb.Password}, "csrf": {token}, "next": {"/items"}})
	if status != http.StatusSeeOther || h.Get("Location") != "/items" {
		t.Fatalf("sign in: %d to %q", status, h.Get("Location"))
	}
	cookie := h.Get("Set-Cookie")
	for _, attr := range []string{"amends_session=", "HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(cookie, attr) {
			t.Errorf("session cookie %q lacks %s", cookie, attr)
		}
	}
	if strings.Contains(cookie, "Secure") {
		t.Errorf("cookie is Secure on a plain-http base URL")
	}
	if status, body, _ := b.get("/"); status != 200 || !strings.Contains(body, "What needs attention") {
		t.Fatalf("start page after sign-in: %d", status)
	}
	// The API answers the session too, and wants the CSRF token for writes.
	path := "/api/v1/action-items/" + id(e.f.ProviderItemA.ID)
	req, _ := http.NewRequest("PATCH", b.base+path, strings.NewReader(`{"status":"done"}`))
	resp, _ := b.client.Do(req)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("API write with a session and no CSRF header: %d", resp.StatusCode)
	}
	resp.Body.Close()
	req, _ = http.NewRequest("PATCH", b.base+path, strings.NewReader(`{"status":"done"}`))
	req.Header.Set("X-CSRF-Token", b.csrf("/"))
	resp, _ = b.client.Do(req)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("API write with a session and its CSRF header: %d", resp.StatusCode)
	}
	resp.Body.Close()

	// The session is cached between commits; signing out ends it at once,
	// even for a copy of the cookie kept elsewhere.
	u, _ := url.Parse(b.base)
	var kept *http.Cookie
	for _, ck := range b.client.Jar.Cookies(u) {
		if ck.Name == "amends_session" {
			kept = ck
		}
	}
	if kept == nil {
		t.Fatal("no session cookie after sign-in")
	}
	if status, _, _ := b.post("/logout", url.Values{"csrf": {b.csrf("/")}}); status != http.StatusSeeOther {
		t.Fatalf("sign out: %d", status)
	}
	if status, _, _ := b.get("/"); status != http.StatusSeeOther {
		t.Errorf("start page after sign-out: %d, want a redirect to sign in", status)
	}
	req, _ = http.NewRequest("GET", b.base+"/", nil)
	req.AddCookie(kept)
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("start page with the cookie of a signed-out session: %d, want a redirect to sign in", resp.StatusCode)
	}
}

func TestSignInRefusals(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	b := newBrowser(t, e.srv.Handler())
	status, body, h := b.post("/login", url.Values{"email": {e.f.SRE.Email}, "password": {testdb.Password}})
	if status != http.StatusForbidden || strings.Contains(h.Get("Set-Cookie"), "amends_session") || !strings.Contains(body, "expired") {
		t.Errorf("sign-in without CSRF token: %d, cookie %q", status, h.Get("Set-Cookie"))
	}
	status, body, h = b.post("/login", url.Values{"email": {e.f.SRE.Email}, "password": {"not it"}, "csrf": {b.csrf("/login")}})
	if status != http.StatusUnauthorized || strings.Contains(h.Get("Set-Cookie"), "amends_session") || !strings.Contains(body, "do not match") {
		t.Errorf("wrong password: %d, cookie %q", status, h.Get("Set-Cookie"))
	}
	for i := 0; i < 6; i++ {
		status, _, _ = b.post("/login", url.Values{"email": {"who@example.com"}, "password": {"guess"}, "csrf": {b.csrf("/login")}})
	}
	if status != http.StatusTooManyRequests {
		t.Errorf("after repeated failures: %d, want 429", status)
	}
	if b.login(e.f.SRE.Email, testdb.Password) != http.StatusSeeOther {
		t.Errorf("throttling one email must not lock out another")
	}
	form := url.Values{"title": {"x"}, "severity": {"SEV2"}, "visibility": {"internal"}, "status": {"draft"}, "csrf": {"forged"}}
	if status, _, _ := b.post("/postmortems", form); status != http.StatusForbidden {
		t.Errorf("form post with a forged CSRF token: %d", status)
	}
}

func TestSecureCookieBehindHTTPS(t *testing.T) {
	f := testdb.NewFixture(t, testdb.SQLite(t))
	srv, err := server.New(server.Config{BaseURL: "https://amends.example.com"}, f.Store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, srv.Handler())
	_, _, h := b.get("/login")
	if !strings.Contains(h.Get("Set-Cookie"), "Secure") {
		t.Errorf("cookies are not Secure behind https: %q", h.Get("Set-Cookie"))
	}
}
