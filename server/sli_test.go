package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/server"
	"github.com/amendsdev/amends/sli"
	"github.com/amendsdev/amends/sli/promtest"
)

const (
	sre  = "sre@provider.example"
	cust = "user@acme.example"
)

func TestSLIRoutesWithoutDataSource(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		slo, err := e.f.Store.CreateSLO(context.Background(), e.f.A.ID, models.SLOInput{Name: "availability", Target: 0.999, WindowDays: 28})
		if err != nil {
			t.Fatal(err)
		}
		sliPath := fmt.Sprintf("/api/v1/customers/%d/slos/%d/sli", e.f.A.ID, slo.ID)
		if r := e.do("GET", "/api/v1/prometheus/status", sre, nil); r.Status != 200 || r.json(t)["configured"] != false {
			t.Errorf("status: %d %s", r.Status, r.Body)
		}
		if r := e.do("GET", "/api/v1/prometheus/status", cust, nil); r.Status == 200 {
			t.Errorf("a customer reads the data source's status: %s", r.Body)
		}
		r := e.do("PUT", sliPath, sre, map[string]any{"good_query": `x{c="{{ .Name }}"}`})
		if code, fields := r.apiError(t); r.Status != 400 || code != "validation_failed" || fields["good_query"] == nil || fields["total_query"] == nil {
			t.Errorf("bad SLI: %d %s", r.Status, r.Body)
		}
		q := `requests_total{customer="{{ .Customer }}"}`
		if r := e.do("PUT", sliPath, sre, map[string]any{"bad_query": `errors_total{customer="{{ .Customer }}"}`, "total_query": q}); r.Status != 200 {
			t.Fatalf("set SLI: %d %s", r.Status, r.Body)
		}
		if r := e.do("PUT", sliPath, cust, map[string]any{"total_query": q}); r.Status == 200 {
			t.Errorf("a customer sets an SLI: %s", r.Body)
		}
		list := fmt.Sprintf("/api/v1/customers/%d/slos", e.f.A.ID)
		if r := e.do("GET", list, sre, nil); !strings.Contains(string(r.Body), "requests_total") {
			t.Errorf("staff do not read the SLI: %s", r.Body)
		}
		if r := e.do("GET", list, cust, nil); r.Status != 200 || strings.Contains(string(r.Body), "requests_total") || strings.Contains(string(r.Body), `"sli"`) {
			t.Errorf("the customer reads the SLI: %d %s", r.Status, r.Body)
		}
		measure := fmt.Sprintf("/api/v1/postmortems/%d/impacts/measure", e.f.SharedA.ID)
		if r := e.do("POST", measure, sre, nil); r.Status != 422 {
			t.Errorf("measure with no data source: %d %s", r.Status, r.Body)
		} else if code, _ := r.apiError(t); code != "prometheus_disabled" {
			t.Errorf("code = %s", code)
		}
		if r := e.do("POST", measure, cust, nil); r.Status != 404 {
			t.Errorf("a customer measures: %d %s", r.Status, r.Body)
		}
	})
}

// TestMeasureImpactsAgainstPrometheus measures incident A of the promtest
// fixture against a 7-day SLO of acme: 3000 bad of 30 000 requests; the
// budget is 0.1% of the 10 080 000 requests of the 7 days to its end,
// 10 080, so it cost 29.7619% of it, 3 of the budget's 10.08 minutes.
func TestMeasureImpactsAgainstPrometheus(t *testing.T) {
	url0 := promtest.Start(t, promtest.FixtureSeries())
	meter, err := sli.New(sli.Config{URL: url0}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	f := testdb.NewFixture(t, testdb.SQLite(t))
	srv, err := server.New(server.Config{SLI: meter}, f.Store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, srv: srv, f: f}
	ctx := context.Background()
	slo, err := f.Store.CreateSLO(ctx, f.A.ID, models.SLOInput{Name: "availability", Target: 0.999, WindowDays: 7,
		SLI: models.SLIInput{BadQuery: `http_errors_total{customer="{{ .Customer }}"}`, TotalQuery: `http_requests_total{customer="{{ .Customer }}",job="api"}`}})
	if err != nil {
		t.Fatal(err)
	}
	a := promtest.IncidentA
	pm, err := f.Store.CreatePostmortem(ctx, f.SRE, models.PostmortemInput{Title: "Checkout errors", Visibility: models.VisibilityInternal,
		CustomerIDs: []uint{f.A.ID}, Severity: "SEV2", StartedAt: &a[0], ResolvedAt: &a[1]})
	if err != nil {
		t.Fatal(err)
	}
	r := e.do("GET", fmt.Sprintf("/api/v1/postmortems/%d/impacts/measured", pm.ID), sre, nil)
	items, _ := r.json(t)["items"].([]any)
	if r.Status != 200 || len(items) != 1 {
		t.Fatalf("measured: %d %s", r.Status, r.Body)
	}
	got := items[0].(map[string]any)
	want := map[string]any{"bad": 3000.0, "total": 30000.0, "budget_share": 0.297619, "bad_minutes": 3.0, "recorded_bad_minutes": nil}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if r := e.do("GET", fmt.Sprintf("/api/v1/postmortems/%d/impacts/measured", f.SharedA.ID), cust, nil); r.Status != 404 {
		t.Errorf("a customer reads measured impacts: %d %s", r.Status, r.Body)
	}
	page := e.page("GET", fmt.Sprintf("/postmortems/%d", pm.ID), sre, nil)
	if page.Status != 200 || !strings.Contains(string(page.Body), "3000 bad of 30000 events") || !strings.Contains(string(page.Body), ">Adopt</button>") {
		t.Errorf("the page does not show the measured figure with its button: %d", page.Status)
	}
	form := e.page("POST", fmt.Sprintf("/postmortems/%d/impacts/measure", pm.ID), sre, url.Values{"slo_id": {fmt.Sprint(slo.ID)}})
	if form.Status != http.StatusSeeOther {
		t.Fatalf("adopt by form: %d %s", form.Status, form.Body)
	}
	imps := e.do("GET", fmt.Sprintf("/api/v1/postmortems/%d/impacts", pm.ID), sre, nil).json(t)["items"].([]any)
	if len(imps) != 1 || imps[0].(map[string]any)["bad_minutes"] != 3.0 {
		t.Errorf("adopted impacts: %v", imps)
	}
	if r := e.do("POST", fmt.Sprintf("/api/v1/postmortems/%d/impacts/measure", pm.ID), sre, map[string]any{"slo_id": slo.ID}); r.Status != 200 {
		t.Errorf("adopt by API: %d %s", r.Status, r.Body)
	}
	hist := string(e.do("GET", fmt.Sprintf("/api/v1/postmortems/%d/history", pm.ID), sre, nil).Body)
	if strings.Count(hist, "measured from the SLI over 2026-07-10T14:00:00Z to 2026-07-10T14:30:00Z") != 1 || !strings.Contains(hist, `http_errors_total{customer=\"acme\"}`) {
		t.Errorf("history lacks the one adoption with its window and query: %s", hist)
	}
	if r := e.do("POST", fmt.Sprintf("/api/v1/postmortems/%d/impacts/measure", f.SharedA.ID), sre, map[string]any{"slo_id": 99999}); r.Status != 400 {
		t.Errorf("adopt an unknown SLO: %d %s", r.Status, r.Body)
	}
}
