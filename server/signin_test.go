package server_test

import (
	"fmt"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/server"
)

// signIn posts the login form from a client address, with an optional
// X-Forwarded-For, and returns the answer.
func postLogin(h http.Handler, peer, forwardedFor, email, password, next string) *httptest.ResponseRecorder {
	csrf := models.RandomSecret(24)
	form := url.Values{"email": {email}, "password": {password}, "csrf": {csrf}}
	if next != "" {
		form.Set("next", next)
	}
	req := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "amends_csrf", Value: csrf})
	req.RemoteAddr = peer + ":40000"
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func serverWith(t *testing.T, cfg server.Config) (*server.Server, *testdb.Fixture) {
	t.Helper()
	f := testdb.NewFixture(t, testdb.SQLite(t))
	srv, err := server.New(cfg, f.Store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return srv, f
}

// Issue 18: rotating X-Forwarded-For gave 40 wrong passwords without a
// 429, and one address could try any number of accounts. Sign-in is now
// throttled per account from any address, and per address for any
// account, and X-Forwarded-For is believed only from trusted proxies.
func TestSignInThrottleHolds(t *testing.T) {
	t.Run("one account, forged X-Forwarded-For", func(t *testing.T) {
		srv, f := serverWith(t, server.Config{})
		limited := 0
		for i := range 40 {
			rec := postLogin(srv.Handler(), "192.0.2.1", fmt.Sprintf("198.51.100.%d", i), f.SRE.Email, "wrong password", "")
			if rec.Code == http.StatusTooManyRequests {
				limited = i + 1
				checkRetryAfter(t, rec)
				break
			}
		}
		if limited == 0 || limited > 8 {
			t.Errorf("first 429 at attempt %d of 40, want by the 8th", limited)
		}
	})
	t.Run("one account, many addresses", func(t *testing.T) {
		srv, f := serverWith(t, server.Config{})
		limited := 0
		for i := range 40 {
			if postLogin(srv.Handler(), fmt.Sprintf("203.0.113.%d", i), "", f.SRE.Email, "wrong password", "").Code == http.StatusTooManyRequests {
				limited = i + 1
				break
			}
		}
		if limited == 0 || limited > 8 {
			t.Errorf("first 429 at attempt %d of 40, want by the 8th", limited)
		}
		// The account waits; the right password too, until the wait ends.
		if rec := postLogin(srv.Handler(), "203.0.113.200", "", f.SRE.Email, testdb.Password, ""); rec.Code != http.StatusTooManyRequests {
			t.Errorf("the right password during the account's wait: %d, want 429", rec.Code)
		}
	})
	t.Run("one address, many accounts", func(t *testing.T) {
		srv, f := serverWith(t, server.Config{})
		limited := 0
		for i := range 40 {
			if postLogin(srv.Handler(), "192.0.2.7", "", fmt.Sprintf("guess%d@example.com", i), "wrong password", "").Code == http.StatusTooManyRequests {
				limited = i + 1
				break
			}
		}
		if limited == 0 || limited > 14 {
			t.Errorf("first 429 at attempt %d of 40, want by the 14th", limited)
		}
		// Another address is not slowed by this one.
		if rec := postLogin(srv.Handler(), "192.0.2.8", "", f.SRE.Email, testdb.Password, ""); rec.Code != http.StatusSeeOther {
			t.Errorf("sign-in from another address: %d, want 303", rec.Code)
		}
	})
	t.Run("IPv6 addresses of one /64 count as one", func(t *testing.T) {
		srv, _ := serverWith(t, server.Config{})
		limited := 0
		for i := range 40 {
			if postLogin(srv.Handler(), fmt.Sprintf("[2001:db8::%x]", i+1), "", fmt.Sprintf("v6guess%d@example.com", i), "x", "").Code == http.StatusTooManyRequests {
				limited = i + 1
				break
			}
		}
		if limited == 0 || limited > 14 {
			t.Errorf("first 429 at attempt %d of 40, want by the 14th", limited)
		}
	})
	t.Run("trusted proxy", func(t *testing.T) {
		_, proxies, _ := net.ParseCIDR("10.0.0.0/8")
		srv, _ := serverWith(t, server.Config{TrustedProxies: []*net.IPNet{proxies}})
		// Behind the proxy, each client address is its own.
		for i := range 14 {
			rec := postLogin(srv.Handler(), "10.1.2.3", fmt.Sprintf("198.51.100.%d", i), fmt.Sprintf("p%d@example.com", i), "x", "")
			if rec.Code == http.StatusTooManyRequests {
				t.Fatalf("attempt %d from distinct clients behind the trusted proxy: 429", i+1)
			}
		}
		// A peer that is not a trusted proxy is itself the client.
		limited := 0
		for i := range 20 {
			if postLogin(srv.Handler(), "192.0.2.50", fmt.Sprintf("198.51.100.%d", i), fmt.Sprintf("q%d@example.com", i), "x", "").Code == http.StatusTooManyRequests {
				limited = i + 1
				break
			}
		}
		if limited == 0 || limited > 14 {
			t.Errorf("untrusted peer with X-Forwarded-For: first 429 at attempt %d, want by the 14th", limited)
		}
	})
}

func checkRetryAfter(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	secs, err := strconv.Atoi(rec.Header().Get("Retry-After"))
	if err != nil || secs < 1 || secs > 300 {
		t.Errorf("Retry-After %q, want whole seconds from 1 to 300", rec.Header().Get("Retry-After"))
	}
	if !strings.Contains(rec.Body.String(), "Try again in") {
		t.Errorf("429 page does not say when to try again:\n%s", rec.Body)
	}
}

// Issue 18: sixteen login loops (argon2id, 64 MiB each) pushed a staff
// PATCH from 11 ms to 2.4 s. Hashing runs one per CPU, and a flood from
// one address is soon answered 429 without hashing at all: a PATCH made
// meanwhile still answers within a second.
func TestLoginFloodLeavesTheAPIAnswering(t *testing.T) {
	srv, f := serverWith(t, server.Config{})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				postLogin(srv.Handler(), fmt.Sprintf("192.0.2.%d", 100+i), "", fmt.Sprintf("flood%d-%d@example.com", i, n), "guess", "")
			}
		}()
	}
	defer func() { close(stop); wg.Wait() }()
	time.Sleep(500 * time.Millisecond)
	e := &env{t: t, srv: srv, f: f}
	item := fmt.Sprintf("/api/v1/action-items/%d", f.ProviderItemA.ID)
	for i, status := range []string{"in_progress", "blocked", "open"} {
		start := time.Now()
		r := e.do("PATCH", item, f.SRE.Email, map[string]any{"status": status})
		if took := time.Since(start); r.Status != 200 || took > time.Second {
			t.Errorf("PATCH %d during the login flood: %d in %v, want 200 within 1s", i, r.Status, took)
		}
	}
}

// Issue 18: /login?next=/%09/evil.example/ sent the browser off-site
// after sign-in (browsers drop the tab, leaving //evil.example/). The
// login page keeps only a target of this site in its form, and sign-in
// checks it again.
func TestSignInRedirectsOnlyToThisSite(t *testing.T) {
	srv, f := serverWith(t, server.Config{})
	for _, sc := range []struct{ next, want string }{
		{"/%09/evil.example/", ""},
		{"/%0A/evil.example/", ""},
		{"//evil.example/", ""},
		{"/%5Cevil.example", ""},
		{"%5C%5Cevil.example", ""},
		{"https:evil.example", ""},
		{"https://evil.example/", ""},
		{"javascript:alert(1)", ""},
		{"evil.example", ""},
		{"/%252F/evil.example", ""},
		{"/items%3Fstatus%3Dopen", "/items?status=open"},
	} {
		req := httptest.NewRequest("GET", "/login?next="+sc.next, nil)
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		m := regexp.MustCompile(`name="next" value="([^"]*)"`).FindStringSubmatch(rec.Body.String())
		if m == nil || html.UnescapeString(m[1]) != sc.want {
			t.Errorf("GET /login?next=%s: the form's next is %v, want %q", sc.next, m, sc.want)
		}
	}
	for i, sc := range []struct{ next, want string }{
		{"/\t/evil.example/", "/"},
		{"/items?status=open", "/items?status=open"},
	} {
		rec := postLogin(srv.Handler(), fmt.Sprintf("192.0.2.%d", i+1), "", f.SRE.Email, testdb.Password, sc.next)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != sc.want {
			t.Errorf("next=%q: %d to %q, want 303 to %q", sc.next, rec.Code, rec.Header().Get("Location"), sc.want)
		}
	}
}
