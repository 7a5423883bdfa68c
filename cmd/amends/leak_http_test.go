package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// leakClient is one user at the server: a bearer token for the API, and a
// browser with cookies for the pages.
type leakClient struct {
	t      *testing.T
	base   string
	email  string
	token  string
	client *http.Client
	// seen, when set, is shown every answer the user gets: what a customer
	// reads while writing is output too.
	seen func(output string, body []byte)
}

func newLeakClient(t *testing.T, base, email, token string) *leakClient {
	jar, _ := cookiejar.New(nil)
	return &leakClient{t: t, base: base, email: email, token: token, client: &http.Client{Jar: jar,
		Transport:     checkedTransport(t),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type leakAnswer struct {
	status int
	body   []byte
	header http.Header
}

// json decodes the answer, failing the test on anything else.
func (a leakAnswer) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(a.body, &m); err != nil {
		t.Fatalf("not a JSON object (%d): %s", a.status, a.body)
	}
	return m
}

func (a leakAnswer) id(t *testing.T) uint {
	t.Helper()
	v, ok := a.json(t)["id"].(float64)
	if !ok {
		t.Fatalf("no id in %s", a.body)
	}
	return uint(v)
}

// send makes one request: JSON with the token under /api, a form with the
// session cookie elsewhere.
func (c *leakClient) send(method, path string, body any) leakAnswer {
	c.t.Helper()
	var rd io.Reader
	ctype := "application/json"
	switch b := body.(type) {
	case nil:
	case url.Values:
		rd, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	if strings.HasPrefix(path, "/api/") && c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: read: %v", method, path, err)
	}
	if c.seen != nil {
		c.seen(method+" "+path+" as "+c.email, out)
	}
	return leakAnswer{resp.StatusCode, out, resp.Header}
}

// must sends and fails the test unless the status is want. A write the
// share gate refuses is sent again with every finding overridden, with a
// reason that is itself a marker: the reason is internal.
func (c *leakClient) must(want int, method, path string, body any, reason string) leakAnswer {
	c.t.Helper()
	a := c.send(method, path, body)
	if a.status == http.StatusUnprocessableEntity && reason != "" {
		if keys := findingKeys(a.body); len(keys) > 0 {
			if m, ok := body.(map[string]any); ok {
				m["overrides"] = overridesOf(keys, reason)
				a = c.send(method, path, m)
			}
		}
	}
	if a.status != want {
		c.t.Fatalf("%s %s as %s: %d, want %d: %s", method, path, c.email, a.status, want, a.body)
	}
	return a
}

// findingKeys reads the keys of a share_check_failed refusal.
func findingKeys(body []byte) []string {
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Details struct {
				Findings []struct {
					Key string `json:"key"`
				} `json:"findings"`
			} `json:"details"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil || e.Error.Code != "share_check_failed" {
		return nil
	}
	var keys []string
	for _, f := range e.Error.Details.Findings {
		keys = append(keys, f.Key)
	}
	return keys
}

func overridesOf(keys []string, reason string) []map[string]string {
	out := make([]map[string]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, map[string]string{"key": k, "reason": reason})
	}
	return out
}

var leakCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the CSRF token of a form on the page.
func (c *leakClient) csrf(path string) string {
	c.t.Helper()
	a := c.send("GET", path, nil)
	m := leakCSRF.FindSubmatch(a.body)
	if m == nil {
		c.t.Fatalf("no CSRF field on %s (%d)", path, a.status)
	}
	return string(m[1])
}

// login signs the browser in with the session cookie.
func (c *leakClient) login(password string) {
	c.t.Helper()
	form := url.Values{"email": {c.email}, "password": {password}, "csrf": {c.csrf("/login")}}
	if a := c.send("POST", "/login", form); a.status != http.StatusSeeOther {
		c.t.Fatalf("sign in as %s: %d %s", c.email, a.status, a.body)
	}
}

// post submits a form of the page at from, with its CSRF token.
func (c *leakClient) post(from, path string, form url.Values) leakAnswer {
	c.t.Helper()
	form.Set("csrf", c.csrf(from))
	return c.send("POST", path, form)
}
