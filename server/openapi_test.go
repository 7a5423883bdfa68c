package server_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/server/openapi"
	"github.com/amendsdev/amends/server/openapi/openapitest"
)

// TestOpenAPIDescribesEveryRoute holds the description and the server to
// the same surface: every /api/v1 route registered in routes.go is
// described in server/openapi/openapi.yaml, and the description names no
// route the server does not have.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	c, err := contract()
	if err != nil {
		t.Fatal(err)
	}
	routes, _ := e.srv.Routes()
	var served []string
	for _, r := range routes {
		if strings.HasPrefix(r.Path, openapitest.Prefix) {
			served = append(served, r.Method+" "+r.Path)
		}
	}
	described := c.Routes()
	for _, r := range served {
		if !slices.Contains(described, r) {
			method, path, _ := strings.Cut(r, " ")
			t.Errorf("route %s is registered in server/routes.go but missing from server/openapi/openapi.yaml: "+
				"describe it under paths: %q: %s:", r, openAPIPath(path), strings.ToLower(method))
		}
	}
	for _, r := range described {
		if !slices.Contains(served, r) {
			t.Errorf("server/openapi/openapi.yaml describes %s, which the server does not register", r)
		}
	}
	if len(served) < 50 {
		t.Errorf("only %d /api/v1 routes found: is Routes() still listing the API?", len(served))
	}
}

// openAPIPath writes an Echo path the way OpenAPI does: /a/:id is /a/{id}.
func openAPIPath(echoPath string) string {
	parts := strings.Split(echoPath, "/")
	for i, p := range parts {
		if name, ok := strings.CutPrefix(p, ":"); ok {
			parts[i] = "{" + name + "}"
		}
	}
	return strings.Join(parts, "/")
}

// TestOpenAPIServed: anyone reads the description as JSON, even with a bad
// token, and what is served is a valid OpenAPI 3.1 document.
func TestOpenAPIServed(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	want, err := openapi.JSON()
	if err != nil {
		t.Fatal(err)
	}
	for _, auth := range []string{"", "Bearer not-a-token"} {
		r := e.doWithHeader("GET", "/api/v1/openapi.json", auth)
		if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("with Authorization %q: %d %s", auth, r.Status, r.Header.Get("Content-Type"))
		}
		if !bytes.Equal(r.Body, want) {
			t.Errorf("with Authorization %q: the body is not the description", auth)
		}
	}
	doc, err := openapi3.NewLoader().LoadFromData(want)
	if err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" || !doc.IsOpenAPI31OrLater() {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	if err := doc.Validate(t.Context()); err != nil {
		t.Errorf("the served description is not valid: %v", err)
	}
	if !bytes.HasPrefix(want, []byte(`{"openapi":"3.1.0","info":`)) {
		t.Errorf("the JSON does not keep the source's order: %.40s", want)
	}
}

// TestOpenAPICheckerRefuses shows the contract check can fail: an answer
// with a field the description does not have, a status it does not list,
// or an error outside the one shape, is refused.
func TestOpenAPICheckerRefuses(t *testing.T) {
	c, err := contract()
	if err != nil {
		t.Fatal(err)
	}
	json := map[string][]string{"Content-Type": {"application/json"}}
	customer := `{"id":1,"name":"Acme","slug":"acme","time_zone":"UTC","contacts":[],` +
		`"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}`
	scenarios := []struct {
		name, method, path string
		status             int
		body               string
		ok                 bool
	}{
		{"a customer as described", "GET", "/api/v1/customers/1", 200, customer, true},
		{"an extra field", "GET", "/api/v1/customers/1", 200, strings.Replace(customer, `"id":1`, `"id":1,"secret":"x"`, 1), false},
		{"a missing field", "GET", "/api/v1/customers/1", 200, strings.Replace(customer, `"slug":"acme",`, ``, 1), false},
		{"a status not listed", "GET", "/api/v1/customers/1", 418, `{"error":{"code":"x","message":"y"}}`, false},
		{"an error in the shape", "GET", "/api/v1/customers/1", 404, `{"error":{"code":"not_found","message":"not found"}}`, true},
		{"an error outside the shape", "GET", "/api/v1/customers/1", 404, `{"message":"not found"}`, false},
		{"an unknown route, in the shape", "GET", "/api/v1/nothing", 404, `{"error":{"code":"not_found","message":"not found"}}`, true},
		{"an unknown route answering 200", "GET", "/api/v1/nothing", 200, `{}`, false},
		{"a staff item where the customer view is", "GET", "/api/v1/action-items/1", 200,
			`{"id":1,"postmortem_id":1,"title":"t","description":"","owner":"provider","type":"repair","priority":"P1",` +
				`"status":"open","due_date":null,"overdue":false,"issue_closed":null,"closed_at":null,` +
				`"updated_at":"2026-01-01T00:00:00Z","customer_visible":true}`, false},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			req := newRequest(sc.method, sc.path)
			err := c.Check(req, nil, sc.status, json, []byte(sc.body))
			if (err == nil) != sc.ok {
				t.Errorf("ok = %v, want %v (%v)", err == nil, sc.ok, err)
			}
		})
	}
}

func newRequest(method, path string) *http.Request {
	return httptest.NewRequest(method, path, nil)
}
