package server_test

import (
	"strings"
	"testing"

	"github.com/amendsdev/amends/models/testdb"
)

func TestReadinessFollowsTheDatabase(t *testing.T) {
	db := testdb.SQLite(t)
	e := newEnv(t, db)
	if r := e.do("GET", "/readyz", "", nil); r.Status != 200 {
		t.Fatalf("readyz with a database: %d", r.Status)
	}
	db.Close()
	r := e.do("GET", "/readyz", "", nil)
	if code, _ := r.apiError(t); r.Status != 503 || code != "not_ready" {
		t.Errorf("readyz without a database: %d %s", r.Status, r.Body)
	}
	if r := e.do("GET", "/healthz", "", nil); r.Status != 200 {
		t.Errorf("healthz must not depend on the database: %d", r.Status)
	}
}

func TestMetricsCountRequestsAndOpenItems(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	e.do("GET", "/api/v1/action-items/99999", e.f.Admin.Email, nil)
	body := string(e.do("GET", "/metrics", "", nil).Body)
	for _, want := range []string{
		`amends_http_requests_total{method="GET",route="/api/v1/action-items/:id",status="404"} 1`,
		`amends_open_action_items{priority="P1"} 7`,
		`amends_open_action_items{priority="P0"} 0`,
		`amends_http_request_duration_seconds_bucket{method="GET",route="/api/v1/action-items/:id"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
