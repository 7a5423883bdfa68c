package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

// signedIn is one user's ways in, each used once so that every cache
// holds it: an API token, a browser session and a private feed URL.
type signedIn struct {
	token   string
	browser *browser
	feed    string
}

func signInEverywhere(t *testing.T, e *env, u *models.User) signedIn {
	t.Helper()
	b := newBrowser(t, e.srv.Handler())
	if b.login(u.Email, testdb.Password) != 303 {
		t.Fatalf("%s cannot sign in", u.Email)
	}
	feed, err := e.f.Store.NewFeedToken(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	s := signedIn{token: e.f.Tokens[u.Email], browser: b, feed: "/feeds/" + feed + ".atom"}
	assertAccess(t, e, s, true)
	return s
}

// assertAccess checks every way in works, or that none does.
func assertAccess(t *testing.T, e *env, s signedIn, want bool) {
	t.Helper()
	api := e.doWithHeader("GET", "/api/v1/postmortems", "Bearer "+s.token)
	page, _, h := s.browser.get("/portal")
	feed, _, _ := s.browser.get(s.feed)
	if want {
		if api.Status != 200 || page != 200 || feed != 200 {
			t.Fatalf("access expected: API %d, portal %d, feed %d", api.Status, page, feed)
		}
		return
	}
	if api.Status != 401 {
		t.Errorf("API token still answers %d", api.Status)
	}
	if page != 303 || !strings.HasPrefix(h.Get("Location"), "/login") {
		t.Errorf("session still opens the portal: %d %s", page, h.Get("Location"))
	}
	if feed != 404 {
		t.Errorf("feed still answers %d", feed)
	}
}

// TestRemovedColleagueLosesAccessAtOnce is the attack "a departed
// customer employee keeps API access for ever": the customer admin
// removes a colleague from the organisation page, and the colleague's
// token, session and feed end at the next request, though each was just
// used (and cached); signing in again is refused with a clear message.
func TestRemovedColleagueLosesAccessAtOnce(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		departed := signInEverywhere(t, e, e.f.CustA)

		admin := newBrowser(t, e.srv.Handler())
		if admin.login(e.f.CustAdminA.Email, testdb.Password) != 303 {
			t.Fatal("customer admin sign-in failed")
		}
		form := url.Values{"csrf": {admin.csrf("/portal/organisation")}}
		status, _, h := admin.post("/portal/organisation/colleagues/"+id(e.f.CustA.ID)+"/remove", form)
		if status != 303 || !strings.HasPrefix(h.Get("Location"), "/portal/organisation") {
			t.Fatalf("remove: %d %v", status, h)
		}
		assertAccess(t, e, departed, false)

		again := newBrowser(t, e.srv.Handler())
		status, body, _ := again.post("/login", url.Values{"email": {e.f.CustA.Email}, "password": {testdb.Password}, "csrf": {again.csrf("/login")}})
		if status != 403 || !strings.Contains(body, "This account is disabled") {
			t.Errorf("sign-in of a removed colleague: %d", status)
		}
		if status, body, _ := again.post("/login", url.Values{"email": {e.f.CustA.Email}, "password": {"wrong password"}, "csrf": {again.csrf("/login")}}); status != 401 || strings.Contains(body, "disabled") {
			t.Errorf("a wrong password learns the account is disabled: %d", status)
		}
		_, page, _ := admin.get("/portal/organisation")
		if !strings.Contains(page, "removed") {
			t.Error("the organisation page does not show the colleague as removed")
		}
		// The admin still works, and cannot remove itself or another
		// organisation's user.
		if status, _, _ := admin.post("/portal/organisation/colleagues/"+id(e.f.CustB.ID)+"/remove", url.Values{"csrf": {form.Get("csrf")}}); status != 404 {
			t.Errorf("removing another organisation's user: %d", status)
		}
		admin.post("/portal/organisation/colleagues/"+id(e.f.CustAdminA.ID)+"/remove", url.Values{"csrf": {form.Get("csrf")}})
		if r := e.do("GET", "/api/v1/postmortems", e.f.CustAdminA.Email, nil); r.Status != 200 {
			t.Errorf("the customer admin removed itself: %d", r.Status)
		}
		if r := e.do("GET", "/api/v1/postmortems", e.f.CustB.Email, nil); r.Status != 200 {
			t.Errorf("customer B lost access: %d", r.Status)
		}
	})
}

// TestAdminDisablesAndEnablesUser: a staff admin disables a user on the
// users page (its token, session and feed end at once), then enables it:
// it may sign in again, but its old token stays revoked.
func TestAdminDisablesAndEnablesUser(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		target := signInEverywhere(t, e, e.f.CustA)
		admin := newBrowser(t, e.srv.Handler())
		if admin.login(e.f.Admin.Email, testdb.Password) != 303 {
			t.Fatal("admin sign-in failed")
		}
		status, page, _ := admin.get("/admin/users")
		if status != 200 || !strings.Contains(page, e.f.CustA.Email) || !strings.Contains(page, "last used") {
			t.Fatalf("users page: %d", status)
		}
		csrf := admin.csrf("/admin/users")
		if status, _, _ := admin.post("/admin/users/"+id(e.f.CustA.ID)+"/disable", url.Values{"csrf": {csrf}}); status != 303 {
			t.Fatalf("disable: %d", status)
		}
		assertAccess(t, e, target, false)
		_, page, _ = admin.get("/admin/users")
		if !strings.Contains(page, "disabled since") {
			t.Error("the users page does not show the user disabled")
		}
		if status, _, _ := admin.post("/admin/users/"+id(e.f.CustA.ID)+"/enable", url.Values{"csrf": {csrf}}); status != 303 {
			t.Fatalf("enable: %d", status)
		}
		b := newBrowser(t, e.srv.Handler())
		if b.login(e.f.CustA.Email, testdb.Password) != 303 {
			t.Error("an enabled user cannot sign in")
		}
		if r := e.doWithHeader("GET", "/api/v1/postmortems", "Bearer "+target.token); r.Status != 401 {
			t.Errorf("enabling gave the old token back: %d", r.Status)
		}
		// An admin neither disables nor demotes itself.
		if status, _, _ := admin.post("/admin/users/"+id(e.f.Admin.ID)+"/disable", url.Values{"csrf": {csrf}}); status != 303 {
			t.Errorf("disabling oneself: %d", status)
		}
		if r := e.do("GET", "/api/v1/users", e.f.Admin.Email, nil); r.Status != 200 {
			t.Errorf("the admin disabled itself: %d", r.Status)
		}
	})
}

// TestAPIRevokesTokenAndManagesUsers: DELETE /api/v1/tokens/:id ends a
// token that was just used; GET /api/v1/users shows its last use; PATCH
// changes a role and disables, with rule refusals in the error shape.
func TestAPIRevokesTokenAndManagesUsers(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		if r := e.do("GET", "/api/v1/postmortems", e.f.SRE.Email, nil); r.Status != 200 {
			t.Fatal(r.Status)
		}
		var sre map[string]any
		for _, u := range e.do("GET", "/api/v1/users", e.f.Admin.Email, nil).json(t)["items"].([]any) {
			if m := u.(map[string]any); m["email"] == e.f.SRE.Email {
				sre = m
			}
		}
		tokens, _ := sre["tokens"].([]any)
		if len(tokens) != 1 || tokens[0].(map[string]any)["last_used_at"] == nil || tokens[0].(map[string]any)["active"] != true {
			t.Fatalf("the SRE's tokens: %v", sre)
		}
		tokenID := uint(tokens[0].(map[string]any)["id"].(float64))
		if r := e.do("DELETE", "/api/v1/tokens/"+id(tokenID), e.f.Admin.Email, nil); r.Status != 204 {
			t.Fatalf("revoke: %d %s", r.Status, r.Body)
		}
		if r := e.do("GET", "/api/v1/postmortems", e.f.SRE.Email, nil); r.Status != 401 {
			t.Errorf("a revoked token answers %d", r.Status)
		}

		r := e.do("PATCH", "/api/v1/users/"+id(e.f.Viewer.ID), e.f.Admin.Email, map[string]any{"role": "sre"})
		if r.Status != 200 || r.json(t)["role"] != "sre" {
			t.Errorf("role change: %d %s", r.Status, r.Body)
		}
		if r := e.do("POST", "/api/v1/postmortems", e.f.Viewer.Email, map[string]any{"title": "Now allowed", "severity": "SEV3"}); r.Status != 201 {
			t.Errorf("the new role is not in force at the next request: %d", r.Status)
		}
		r = e.do("PATCH", "/api/v1/users/"+id(e.f.Viewer.ID), e.f.Admin.Email, map[string]any{"disabled": true})
		if r.Status != 200 || r.json(t)["disabled"] != true {
			t.Errorf("disable: %d %s", r.Status, r.Body)
		}
		if r := e.do("GET", "/api/v1/postmortems", e.f.Viewer.Email, nil); r.Status != 401 {
			t.Errorf("a disabled user's token answers %d", r.Status)
		}
		scenarios := []struct {
			name   string
			user   uint
			body   map[string]any
			status int
			code   string
		}{
			{"own account", e.f.Admin.ID, map[string]any{"disabled": true}, 422, "own_account"},
			{"own role", e.f.Admin.ID, map[string]any{"role": "viewer"}, 422, "own_account"},
			{"customer to staff", e.f.CustA.ID, map[string]any{"role": "admin"}, 422, "customer_user"},
			{"unknown role", e.f.SRE.ID, map[string]any{"role": "root"}, 400, "validation_failed"},
			{"unknown user", 99999, map[string]any{"disabled": true}, 404, "not_found"},
		}
		for _, sc := range scenarios {
			r := e.do("PATCH", "/api/v1/users/"+id(sc.user), e.f.Admin.Email, sc.body)
			if code, _ := r.apiError(t); r.Status != sc.status || code != sc.code {
				t.Errorf("%s: %d %s", sc.name, r.Status, r.Body)
			}
		}
	})
}

// TestExpiredTokenIsRefused: a token past its expiry stops working even
// though the token cache holds it from a moment before.
func TestExpiredTokenIsRefused(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		now := time.Now().UTC()
		e.f.Store.SetClock(func() time.Time { return now })
		until := now.Add(time.Hour)
		token, err := e.f.Store.CreateTokenUntil(t.Context(), e.f.SRE.ID, "short", &until)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if r := e.doWithHeader("GET", "/api/v1/postmortems", "Bearer "+token); r.Status != 200 {
				t.Fatalf("a live token answers %d", r.Status)
			}
		}
		now = until.Add(time.Second)
		if r := e.doWithHeader("GET", "/api/v1/postmortems", "Bearer "+token); r.Status != 401 {
			t.Errorf("an expired token answers %d", r.Status)
		}
		past := now.Add(-time.Minute)
		if _, err := e.f.Store.CreateTokenUntil(t.Context(), e.f.SRE.ID, "past", &past); err == nil {
			t.Error("a token that expires in the past was made")
		}
	})
}

// TestWebhookURLsThatAreNotPublicAreRefused is the attack "outgoing
// webhooks accept 100.64.0.0/10, NAT64, 6to4 with a private address,
// 198.18.0.0/15, 0.0.0.0/8, broadcast; the portal takes 169.254.169.254
// and 10.0.0.1 without a word": each is refused when saved, by the API
// with 400 naming the field and why, and by the portal with the reason.
func TestWebhookURLsThatAreNotPublicAreRefused(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		admin := newBrowser(t, e.srv.Handler())
		if admin.login(e.f.CustAdminA.Email, testdb.Password) != 303 {
			t.Fatal("customer admin sign-in failed")
		}
		csrf := admin.csrf("/portal/subscriptions")
		refused := []struct{ url, reason string }{
			{"http://169.254.169.254/latest/meta-data/", "link-local"},
			{"http://10.0.0.1/hook", "a private network"},
			{"http://100.100.100.200/", "shared address space"},
			{"https://100.64.0.1/", "shared address space"},
			{"http://[64:ff9b::a00:1]/", "10.0.0.1"},
			{"http://[2002:a00:1::1]/", "10.0.0.1"},
			{"http://198.18.0.1/", "benchmarking"},
			{"http://0.0.0.0:9000/", "this network"},
			{"http://255.255.255.255/", "broadcast"},
			{"http://[::ffff:127.0.0.1]:8080/", "loopback"},
			{"http://localhost:8080/", "local machine"},
		}
		for _, sc := range refused {
			r := e.do("POST", "/api/v1/webhooks", e.f.CustAdminA.Email, map[string]any{"url": sc.url})
			code, fields := r.apiError(t)
			if r.Status != 400 || code != "validation_failed" || !strings.Contains(fmt.Sprint(fields["url"]), sc.reason) {
				t.Errorf("API %s: %d %s", sc.url, r.Status, r.Body)
			}
			status, _, _ := admin.post("/portal/subscriptions/webhooks", url.Values{"url": {sc.url}, "csrf": {csrf}})
			_, page, _ := admin.get("/portal/subscriptions")
			if status != 303 || !strings.Contains(page, sc.reason) {
				t.Errorf("portal %s: %d, the page does not say %q", sc.url, status, sc.reason)
			}
		}
		hooks, err := e.f.Store.Webhooks(t.Context(), e.f.CustAdminA)
		if err != nil || len(hooks) != 0 {
			t.Fatalf("saved webhooks %v, %v", hooks, err)
		}
		r := e.do("POST", "/api/v1/webhooks", e.f.CustAdminA.Email, map[string]any{"url": "https://203.0.114.10/amends"})
		if r.Status != 201 || !strings.HasPrefix(fmt.Sprint(r.json(t)["secret"]), "whsec_") {
			t.Errorf("a public address: %d %s", r.Status, r.Body)
		}
	})
}
