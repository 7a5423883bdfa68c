package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"fmt"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models/testdb"
)

func TestBadInputGetsTheErrorShape(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		sre := e.f.SRE.Email
		item := fmt.Sprintf("/api/v1/action-items/%d", e.f.ProviderItemA.ID)
		scenarios := []struct {
			name, method, path, user string
			body                     any
			status                   int
			code                     string
			fields                   []string
		}{
			{"malformed JSON", "POST", "/api/v1/customers", sre, `{"name": "x",`, 400, "malformed_json", nil},
			{"not an object", "POST", "/api/v1/customers", sre, `[1,2]`, 400, "malformed_json", nil},
			{"wrong types", "POST", "/api/v1/customers", sre, `{"name": 5, "contacts": "a@b.example"}`, 400, "validation_failed", []string{"name", "contacts"}},
			{"unknown field", "PATCH", item, sre, `{"colour": "red"}`, 400, "validation_failed", []string{"colour"}},
			{"bad date", "PATCH", item, sre, `{"due_date": "next week"}`, 400, "validation_failed", []string{"due_date"}},
			{"bad time", "PATCH", fmt.Sprintf("/api/v1/postmortems/%d", e.f.SharedA.ID), sre, `{"started_at": "yesterday"}`, 400, "validation_failed", []string{"started_at"}},
			{"bad enums", "PATCH", item, sre, `{"status": "closed", "priority": "urgent"}`, 400, "validation_failed", []string{"status", "priority"}},
			{"oversized body", "POST", "/api/v1/customers", sre, `{"name": "` + strings.Repeat("x", 2<<20) + `"}`, 413, "body_too_large", nil},
			{"unknown id", "GET", "/api/v1/action-items/424242", sre, nil, 404, "not_found", nil},
			{"non-numeric id", "GET", "/api/v1/postmortems/abc", sre, nil, 404, "not_found", nil},
			{"unknown route", "GET", "/api/v1/nothing", sre, nil, 404, "not_found", nil},
			{"duplicate slug", "POST", "/api/v1/customers", sre, map[string]any{"name": "Acme 2", "slug": "acme"}, 409, "conflict", []string{"slug"}},
			{"bad list filter", "GET", "/api/v1/action-items?status=closed&overdue=maybe&customer_id=x&limit=0", sre, nil, 400, "validation_failed", []string{"status", "overdue", "customer_id", "limit"}},
			{"anonymous", "GET", "/api/v1/postmortems", "", nil, 401, "unauthorized", nil},
			{"viewer writes", "PATCH", item, e.f.Viewer.Email, `{"status": "done"}`, 403, "forbidden", nil},
			{"customer on a staff route", "POST", "/api/v1/customers", e.f.CustA.Email, map[string]any{"name": "X", "slug": "x"}, 404, "not_found", nil},
			{"delete postmortem with items", "DELETE", fmt.Sprintf("/api/v1/postmortems/%d", e.f.SharedA.ID), sre, nil, 409, "conflict", nil},
		}
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				r := e.do(sc.method, sc.path, sc.user, sc.body)
				if r.Status != sc.status {
					t.Fatalf("status %d, want %d: %s", r.Status, sc.status, r.Body)
				}
				code, fields := r.apiError(t)
				if code != sc.code {
					t.Errorf("code %q, want %q", code, sc.code)
				}
				for _, f := range sc.fields {
					if fields[f] == nil {
						t.Errorf("field %s not named in %v", f, fields)
					}
				}
			})
		}
	})
}

func TestBadTokenIsRefused(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	for _, h := range []string{"Bearer amd_nope", "Basic dXNlcjpwYXNz"} {
		r := e.doWithHeader("GET", "/api/v1/customers", h)
		if r.Status != 401 {
			t.Errorf("Authorization %q: status %d, want 401", h, r.Status)
		}
	}
}
