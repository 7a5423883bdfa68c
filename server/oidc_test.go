package server_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/server"
)

// visitor is a browser without JavaScript: its own cookies, following
// redirects, except that it can stop where the provider sends it back to
// amends, so that a test can look at the callback or change it.
type visitor struct {
	t      *testing.T
	jar    *cookiejar.Jar
	client *http.Client
	stop   bool
}

func newVisitor(t *testing.T) *visitor {
	jar, _ := cookiejar.New(nil)
	v := &visitor{t: t, jar: jar}
	v.client = &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(req *http.Request, _ []*http.Request) error {
			if v.stop && req.URL.Path == "/login/oidc/callback" {
				return http.ErrUseLastResponse
			}
			return nil
		}}
	return v
}

// page is an answer read whole.
type page struct {
	Status int
	URL    *url.URL
	Body   string
	Header http.Header
}

func (v *visitor) get(u string) page {
	v.t.Helper()
	res, err := v.client.Get(u)
	if err != nil {
		v.t.Fatalf("GET %s: %v", u, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return page{Status: res.StatusCode, URL: res.Request.URL, Body: string(b), Header: res.Header}
}

// toCallback starts a sign-in and goes through the provider, stopping at
// the callback URL the provider sends the browser to.
func (v *visitor) toCallback(s *oidcServer, next string) *url.URL {
	v.t.Helper()
	start := s.URL + "/login/oidc"
	if next != "" {
		start += "?next=" + url.QueryEscape(next)
	}
	v.stop = true
	defer func() { v.stop = false }()
	res, err := v.client.Get(start)
	if err != nil {
		v.t.Fatalf("start the sign-in: %v", err)
	}
	res.Body.Close()
	loc, err := res.Location()
	if err != nil || loc.Path != "/login/oidc/callback" {
		v.t.Fatalf("the provider answered %d, not a redirect to the callback (%v)", res.StatusCode, err)
	}
	return loc
}

// signIn goes the whole way and returns the page it lands on.
func (v *visitor) signIn(s *oidcServer, who person, next string) page {
	v.t.Helper()
	s.idp.next(who)
	return v.get(v.toCallback(s, next).String())
}

func (v *visitor) cookie(base, name string) *http.Cookie {
	u, _ := url.Parse(base + "/login/oidc/callback")
	for _, c := range v.jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func (v *visitor) signedIn(s *oidcServer) bool { return v.cookie(s.URL, "amends_session") != nil }

func userByEmail(t *testing.T, s *oidcServer, email string) *models.User {
	t.Helper()
	u, err := s.f.Store.UserByEmail(context.Background(), email)
	if errors.Is(err, models.ErrNotFound) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// A first sign-in makes a staff user from the claims, with the most
// privileged role the groups give, and lands where the person was going.
func TestOIDCSignInMakesStaffUser(t *testing.T) {
	s := startOIDCServer(t, startProvider(t), server.Config{})
	v := newVisitor(t)
	who := person{Subject: "u-1", Email: "Nora@Provider.example", Name: "Nora Noether", EmailVerified: true,
		Groups: []string{"staff", "amends-admins", "marketing"}}
	p := v.signIn(s, who, "/items?status=open")
	if p.Status != http.StatusOK || p.URL.Path != "/items" || p.URL.RawQuery != "status=open" {
		t.Fatalf("landed on %d %s, want 200 /items?status=open", p.Status, p.URL)
	}
	if !v.signedIn(s) {
		t.Fatal("no session cookie after signing in")
	}
	if v.cookie(s.URL, "amends_oidc") != nil {
		t.Error("the flow cookie outlived its callback")
	}
	u := userByEmail(t, s, "nora@provider.example")
	if u == nil || u.Role != models.RoleAdmin || u.Name != "Nora Noether" || u.PasswordHash != "" ||
		u.OIDCSubject == nil || *u.OIDCSubject != "u-1" || *u.OIDCIssuer != s.idp.Issuer() {
		t.Fatalf("user after the first sign-in: %+v", u)
	}
	// A password never signs this user in.
	if rec := postLogin(s.handler(), "10.0.0.9", "", "nora@provider.example", "", ""); rec.Code != http.StatusUnauthorized {
		t.Errorf("an empty password for a provider user answered %d", rec.Code)
	}

	t.Run("the start asks for the code flow with PKCE S256 and a nonce", func(t *testing.T) {
		rec := get(s.handler(), "/login/oidc")
		loc, err := url.Parse(rec.Header().Get("Location"))
		if rec.Code != http.StatusSeeOther || err != nil || !strings.HasPrefix(loc.String(), s.idp.AuthorizationEndpoint()) {
			t.Fatalf("the start answered %d to %q", rec.Code, rec.Header().Get("Location"))
		}
		q := loc.Query()
		for _, k := range []string{"state", "nonce", "code_challenge"} {
			if len(q.Get(k)) < 32 {
				t.Errorf("%s is %q", k, q.Get(k))
			}
		}
		if q.Get("code_challenge_method") != "S256" || q.Get("response_type") != "code" || q.Get("client_id") != s.idp.ClientID {
			t.Errorf("authorization request: %v", q)
		}
		ck := ""
		for _, c := range rec.Header().Values("Set-Cookie") {
			if strings.HasPrefix(c, "amends_oidc=") {
				ck = c
			}
		}
		for _, attr := range []string{"amends_oidc=", "Path=/login/oidc", "HttpOnly", "SameSite=Lax", "Max-Age=600"} {
			if !strings.Contains(ck, attr) {
				t.Errorf("the flow cookie lacks %s: %s", attr, ck)
			}
		}
		if strings.Contains(ck, q.Get("state")) || strings.Contains(ck, q.Get("nonce")) {
			t.Error("the flow cookie shows its state or nonce in clear")
		}
	})
	t.Run("a next that leaves the site is dropped", func(t *testing.T) {
		p := newVisitor(t).signIn(s, who, "//evil.example/x")
		if p.Status != http.StatusOK || p.URL.Host != strings.TrimPrefix(s.URL, "http://") || p.URL.Path != "/" {
			t.Fatalf("landed on %s", p.URL)
		}
	})
}

// The role follows the provider at every sign-in; a disabled user stays
// out whatever the provider says; no rule, no entry.
func TestOIDCRoleFollowsTheProvider(t *testing.T) {
	s := startOIDCServer(t, startProvider(t), server.Config{})
	who := person{Subject: "u-2", Email: "ravi@provider.example", Name: "Ravi", EmailVerified: true, Groups: []string{"sre"}}
	steps := []struct {
		name   string
		groups []string
		role   string // "" for refused
		says   string
	}{
		{"sre", []string{"sre"}, models.RoleSRE, ""},
		{"promoted", []string{"sre", "amends-admins"}, models.RoleAdmin, ""},
		{"demoted", []string{"staff"}, models.RoleViewer, ""},
		{"no rule matches", []string{"marketing"}, "", "no rule gives your account a role in amends"},
	}
	for _, st := range steps {
		who.Groups = st.groups
		v := newVisitor(t)
		p := v.signIn(s, who, "")
		u := userByEmail(t, s, who.Email)
		if st.role == "" {
			if p.Status != http.StatusForbidden || !strings.Contains(p.Body, st.says) || v.signedIn(s) {
				t.Fatalf("%s: answered %d signed in %v, body lacks %q", st.name, p.Status, v.signedIn(s), st.says)
			}
			continue
		}
		if p.Status != http.StatusOK || p.URL.Path != "/" || !v.signedIn(s) || u.Role != st.role {
			t.Fatalf("%s: landed on %d %s with role %s, want %s", st.name, p.Status, p.URL, u.Role, st.role)
		}
	}

	u := userByEmail(t, s, who.Email)
	if _, err := s.f.Store.SetDisabled(context.Background(), s.f.Admin, u.ID, true); err != nil {
		t.Fatal(err)
	}
	who.Groups = []string{"amends-admins"}
	v := newVisitor(t)
	p := v.signIn(s, who, "")
	if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "This account is disabled") || v.signedIn(s) {
		t.Fatalf("a disabled user: %d, signed in %v", p.Status, v.signedIn(s))
	}
	if u := userByEmail(t, s, who.Email); u.Role != models.RoleViewer {
		t.Errorf("a refused sign-in changed the role to %s", u.Role)
	}
}

// Each forged, replayed or altered answer is refused with a page saying
// so, logged, and signs nobody in.
func TestOIDCRefusals(t *testing.T) {
	idp := startProvider(t)
	var s *oidcServer // each case's own, so that the throttle counts it alone
	now := time.Now()
	cases := []struct {
		name    string
		tamper  func(map[string]any)
		strange bool
		// call opens the callback; nil opens it as the provider sent it.
		call   func(t *testing.T, v *visitor, cb *url.URL) page
		status int
		says   string
		logged string
	}{
		{name: "wrong state", status: http.StatusBadRequest, says: "does not match the one this browser started",
			logged: "state does not match",
			call: func(t *testing.T, v *visitor, cb *url.URL) page {
				q := cb.Query()
				q.Set("state", "forged-state")
				cb.RawQuery = q.Encode()
				return v.get(cb.String())
			}},
		{name: "no flow cookie: another browser", status: http.StatusBadRequest, says: "started in another browser",
			logged: "cookie is missing",
			call: func(t *testing.T, v *visitor, cb *url.URL) page {
				return newVisitor(t).get(cb.String())
			}},
		{name: "replayed code", status: http.StatusUnauthorized, says: "may have been used already",
			logged: "invalid_grant",
			call: func(t *testing.T, v *visitor, cb *url.URL) page {
				flow := v.cookie(s.URL, "amends_oidc")
				if p := v.get(cb.String()); p.Status != http.StatusOK {
					t.Fatalf("the first use of the code answered %d", p.Status)
				}
				// The same browser, its flow cookie put back: the state
				// matches, and only the provider's refusal is left.
				attacker := newVisitor(t)
				u, _ := url.Parse(s.URL + "/login/oidc/callback")
				attacker.jar.SetCookies(u, []*http.Cookie{{Name: flow.Name, Value: flow.Value, Path: "/login/oidc"}})
				return attacker.get(cb.String())
			}},
		{name: "provider error", status: http.StatusUnauthorized, says: "did not sign you in (access_denied)",
			logged: "access_denied",
			call: func(t *testing.T, v *visitor, cb *url.URL) page {
				return v.get(s.URL + "/login/oidc/callback?error=access_denied&state=" + url.QueryEscape(cb.Query().Get("state")))
			}},
		{name: "token for another audience", tamper: func(c map[string]any) { c["aud"] = "another-client" },
			status: http.StatusUnauthorized, says: "could not be verified", logged: "expected audience"},
		{name: "expired token", tamper: func(c map[string]any) {
			c["exp"], c["iat"], c["nbf"] = now.Add(-time.Hour).Unix(), now.Add(-2*time.Hour).Unix(), now.Add(-2*time.Hour).Unix()
		}, status: http.StatusUnauthorized, says: "could not be verified", logged: "token is expired"},
		{name: "bad signature", strange: true, status: http.StatusUnauthorized, says: "could not be verified",
			logged: "failed to verify signature"},
		{name: "another issuer", tamper: func(c map[string]any) { c["iss"] = "https://idp.evil.example" },
			status: http.StatusUnauthorized, says: "could not be verified", logged: "issued by a different provider"},
		{name: "missing nonce", tamper: func(c map[string]any) { delete(c, "nonce") },
			status: http.StatusUnauthorized, says: "could not be verified", logged: "nonce does not match"},
		{name: "wrong nonce", tamper: func(c map[string]any) { c["nonce"] = "a-nonce-of-another-sign-in" },
			status: http.StatusUnauthorized, says: "could not be verified", logged: "nonce does not match"},
		{name: "a second audience without azp", tamper: func(c map[string]any) { c["aud"] = []string{idp.ClientID, "another-client"} },
			status: http.StatusUnauthorized, says: "could not be verified", logged: "azp"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s = startOIDCServer(t, idp, server.Config{})
			idp.alter(t, tc.tamper, tc.strange)
			t.Cleanup(func() { idp.alter(t, nil, false) })
			email := "refused" + string(rune('a'+i)) + "@provider.example"
			who := person{Subject: "refused-" + tc.name, Email: email, EmailVerified: true, Groups: []string{"amends-admins"}}
			v := newVisitor(t)
			idp.next(who)
			cb := v.toCallback(s, "")
			var p page
			if tc.call != nil {
				p = tc.call(t, v, cb)
			} else {
				p = v.get(cb.String())
			}
			if p.Status != tc.status || !strings.Contains(p.Body, tc.says) {
				t.Fatalf("answered %d, want %d saying %q:\n%s", p.Status, tc.status, tc.says, p.Body)
			}
			if !strings.Contains(p.Body, "Sign in with Test IdP") {
				t.Error("the refusal page offers no way to start again")
			}
			if tc.name != "replayed code" {
				if v.signedIn(s) {
					t.Error("signed in after a refusal")
				}
				if userByEmail(t, s, email) != nil {
					t.Error("a refused sign-in made a user")
				}
			}
			if logs := s.logs.String(); !strings.Contains(logs, tc.logged) {
				t.Errorf("the log does not say %q:\n%s", tc.logged, logs)
			}
		})
	}
}

// A password user with the provider's email is linked only when the
// provider verified that email; a customer's email never is.
func TestOIDCLinksPasswordUsersOnlyByVerifiedEmail(t *testing.T) {
	s := startOIDCServer(t, startProvider(t), server.Config{})
	who := person{Subject: "sid-at-idp", Email: s.f.SRE.Email, Name: "Sid Sre", Groups: []string{"staff"}}

	v := newVisitor(t)
	if p := v.signIn(s, who, ""); p.Status != http.StatusForbidden || !strings.Contains(p.Body, "does not say it verified that email") || v.signedIn(s) {
		t.Fatalf("an unverified email: %d, signed in %v", p.Status, v.signedIn(s))
	}
	if u := userByEmail(t, s, who.Email); u.OIDCSubject != nil || u.Role != models.RoleSRE {
		t.Fatalf("an unverified email changed the account: %+v", u)
	}

	who.EmailVerified = true
	v = newVisitor(t)
	if p := v.signIn(s, who, ""); p.Status != http.StatusOK || !v.signedIn(s) {
		t.Fatalf("a verified email: %d", p.Status)
	}
	u := userByEmail(t, s, who.Email)
	if u.ID != s.f.SRE.ID || u.OIDCSubject == nil || *u.OIDCSubject != "sid-at-idp" || u.Role != models.RoleViewer {
		t.Fatalf("after linking: %+v", u)
	}

	cust := person{Subject: "alice-at-idp", Email: s.f.CustA.Email, EmailVerified: true, Groups: []string{"amends-admins"}}
	v = newVisitor(t)
	if p := v.signIn(s, cust, ""); p.Status != http.StatusForbidden || !strings.Contains(p.Body, "customer account") || v.signedIn(s) {
		t.Fatalf("a customer's email: %d, signed in %v", p.Status, v.signedIn(s))
	}
	if u := userByEmail(t, s, cust.Email); u.Role != models.RoleCustomer || u.OIDCSubject != nil {
		t.Fatalf("the customer user changed: %+v", u)
	}
}

// Without a provider the routes do not exist and the page offers none.
func TestOIDCOffWithoutProvider(t *testing.T) {
	srv, _ := serverWith(t, server.Config{})
	for _, path := range []string{"/login/oidc", "/login/oidc?next=/items", "/login/oidc/callback?code=x&state=y"} {
		rec := get(srv.Handler(), path)
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET %s answered %d without a provider", path, rec.Code)
		}
	}
	if rec := get(srv.Handler(), "/login"); strings.Contains(rec.Body.String(), "Sign in with") {
		t.Error("the sign-in page offers a provider that is not configured")
	}
}

// AMENDS_PASSWORD_LOGIN=off: staff passwords no longer sign in; customer
// users, who are not in the company's provider, keep theirs.
func TestStaffPasswordsOff(t *testing.T) {
	s := startOIDCServer(t, startProvider(t), server.Config{StaffPasswordsOff: true})
	h := s.handler()
	rec := postLogin(h, "10.0.0.1", "", s.f.Admin.Email, "correct horse battery", "")
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "Staff sign in with Test IdP") ||
		strings.Contains(rec.Header().Get("Set-Cookie"), "amends_session=") {
		t.Fatalf("a staff password answered %d: %s", rec.Code, rec.Body)
	}
	rec = postLogin(h, "10.0.0.1", "", s.f.CustA.Email, "correct horse battery", "")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/portal" {
		t.Fatalf("a customer's password answered %d to %s", rec.Code, rec.Header().Get("Location"))
	}
	page := get(h, "/login").Body.String()
	if !strings.Contains(page, "Sign in with Test IdP") || !strings.Contains(page, "Customers sign in with their email and password") {
		t.Errorf("the sign-in page does not say who uses which way:\n%s", page)
	}
}

// Forged callbacks from one address meet the sign-in throttle: each costs
// amends a request to the provider.
func TestOIDCCallbackThrottled(t *testing.T) {
	s := startOIDCServer(t, startProvider(t), server.Config{})
	v := newVisitor(t)
	for i := range 20 {
		p := v.get(s.URL + "/login/oidc/callback?code=forged&state=forged")
		if p.Status == http.StatusTooManyRequests {
			if p.Header.Get("Retry-After") == "" || !strings.Contains(p.Body, "Too many sign-in attempts") {
				t.Fatalf("the 429 says no wait: %v", p.Header)
			}
			return
		}
		if p.Status != http.StatusBadRequest {
			t.Fatalf("forged callback %d answered %d", i, p.Status)
		}
	}
	t.Fatal("20 forged callbacks from one address were never throttled")
}

func get(h http.Handler, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec
}

// A provider that cannot be reached is a page saying so, and a log line.
func TestOIDCProviderDown(t *testing.T) {
	idp := startProvider(t)
	s := startOIDCServer(t, idp, server.Config{})
	idp.Shutdown()
	p := newVisitor(t).get(s.URL + "/login/oidc")
	if p.Status != http.StatusBadGateway || !strings.Contains(p.Body, "Test IdP could not be reached") {
		t.Fatalf("a provider that is down: %d\n%s", p.Status, p.Body)
	}
	if !strings.Contains(s.logs.String(), "discovery at "+idp.Issuer()) {
		t.Errorf("the log does not name the failed discovery:\n%s", s.logs.String())
	}
}
