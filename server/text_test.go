package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

// Issue 18: a NUL byte in a title, summary, customer name or the login
// email was a 500 on PostgreSQL (and stored as is on SQLite), and
// right-to-left override characters made a title display reversed. Every
// text field now refuses them with a 400 naming the field, on both
// databases, through the API and the forms alike.
func TestBadTextIsRefusedNamingTheField(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		sre := e.f.SRE.Email
		item := fmt.Sprintf("/api/v1/action-items/%d", e.f.ProviderItemA.ID)
		pm := fmt.Sprintf("/api/v1/postmortems/%d", e.f.SharedA.ID)
		for _, sc := range []struct {
			name, method, path, field string
			body                      map[string]any
		}{
			{"NUL in a postmortem title", "POST", "/api/v1/postmortems", "title",
				map[string]any{"title": "DB\x00 outage", "visibility": "internal", "severity": "SEV2", "status": "draft"}},
			{"NUL in a summary", "PATCH", pm, "summary", map[string]any{"summary": "it broke\x00"}},
			{"NUL in a customer name", "POST", "/api/v1/customers", "name",
				map[string]any{"name": "Acme\x00", "slug": "acme-nul", "time_zone": "UTC"}},
			{"NUL in a contact", "POST", "/api/v1/customers", "contacts",
				map[string]any{"name": "Acme", "slug": "acme-c", "time_zone": "UTC", "contacts": []string{"a\x00@b.example"}}},
			{"right-to-left override in an item title", "PATCH", item, "title", map[string]any{"title": "Fix \u202egnp.exe"}},
			{"isolate in an assignee", "PATCH", item, "assignee", map[string]any{"assignee": "\u2067sam\u2069"}},
			{"bell in a comment", "POST", item + "/comments", "body", map[string]any{"body": "ding\x07"}},
			{"escape in a description", "PATCH", item, "description", map[string]any{"description": "\x1b[31mred"}},
			{"C1 control in a title", "PATCH", item, "title", map[string]any{"title": "a\u0085b"}},
			{"newline in a one-line title", "PATCH", item, "title", map[string]any{"title": "two\nlines"}},
			{"tab in a customer name", "POST", "/api/v1/customers", "name",
				map[string]any{"name": "Ac\tme", "slug": "acme-tab", "time_zone": "UTC"}},
		} {
			t.Run(sc.name, func(t *testing.T) {
				r := e.do(sc.method, sc.path, sre, sc.body)
				if r.Status != http.StatusBadRequest {
					t.Fatalf("status %d, want 400: %s", r.Status, r.Body)
				}
				if _, fields := r.apiError(t); fields[sc.field] == nil {
					t.Errorf("field %s not named: %s", sc.field, r.Body)
				}
			})
		}
		// Lines and tabs are fine where text has lines.
		if r := e.do("PATCH", pm, sre, map[string]any{"summary": "line one\n\tindented\r\nline three"}); r.Status != 200 {
			t.Errorf("Markdown with newlines and tabs: %d %s", r.Status, r.Body)
		}
		// A NUL in a query parameter is named too, not a 500.
		if r := e.do("GET", "/api/v1/action-items?assignee=a%00b", sre, nil); r.Status != 400 {
			t.Errorf("NUL in a query parameter: %d %s", r.Status, r.Body)
		}
		// Forms: the sign-in email, and a postmortem's title.
		csrf := models.RandomSecret(24)
		form := url.Values{"email": {"sre@example.com\x00"}, "password": {"x"}, "csrf": {csrf}}
		req, _ := http.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: "amends_csrf", Value: csrf})
		req.RemoteAddr = "192.0.2.1:1"
		rec := recorder(e, req)
		if rec.Status != http.StatusBadRequest || !strings.Contains(string(rec.Body), "email") {
			t.Errorf("NUL in the sign-in email: %d, want 400 naming email", rec.Status)
		}
		r := e.page("POST", "/postmortems", sre, url.Values{"title": {"Bad \u202etitle"}, "severity": {"SEV3"},
			"visibility": {"internal"}, "status": {"draft"}})
		if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "title") {
			t.Errorf("bidi override in a form title: %d, want 400 naming title", r.Status)
		}
		var n int64
		if err := db.R.Model(&models.Postmortem{}).Where("title LIKE ?", "Bad %").Count(&n).Error; err != nil || n != 0 {
			t.Errorf("the bad title was stored (%d rows, %v)", n, err)
		}
	})
}

func recorder(e *env, req *http.Request) response {
	return e.serve(req)
}

// Issue 18: a 1 MB body of 90,000 unknown keys produced a 5.5 MB error
// answer. Such a body is now over the limit, and an error answer names
// at most 20 fields and says how many more there were.
func TestErrorAnswersNameAtMostTwentyFields(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	item := fmt.Sprintf("/api/v1/action-items/%d", e.f.ProviderItemA.ID)
	body := func(keys int) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range keys {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `"k%d":1`, i)
		}
		return b.String() + "}"
	}
	big := body(90_000)
	r := e.do("PATCH", item, e.f.SRE.Email, big)
	if r.Status != http.StatusRequestEntityTooLarge || len(r.Body) > 1024 {
		t.Errorf("1 MB of unknown keys: %d with %d bytes, want a short 413", r.Status, len(r.Body))
	}
	many := body(5_000)
	if len(many) > 64<<10 {
		t.Fatalf("test body of %d bytes is over the limit", len(many))
	}
	r = e.do("PATCH", item, e.f.SRE.Email, many)
	if r.Status != http.StatusBadRequest || len(r.Body) > 4096 {
		t.Fatalf("5,000 unknown keys: %d with %d bytes, want a 400 of a few hundred", r.Status, len(r.Body))
	}
	_, fields := r.apiError(t)
	msg := r.json(t)["error"].(map[string]any)["message"].(string)
	if len(fields) != 20 || !strings.Contains(msg, "4980 more") {
		t.Errorf("%d fields named, message %q; want 20 and the count of the rest", len(fields), msg)
	}
}
