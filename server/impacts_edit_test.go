package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

// TestImpactsCanBeCorrectedAndDeleted: a mistyped impact is refused with
// what is allowed, corrected, then deleted, each in the history; customers
// can do neither and never read the staff's history of impacts.
func TestImpactsCanBeCorrectedAndDeleted(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		sre := e.f.SRE.Email
		slo, err := e.f.Store.CreateSLO(ctx, e.f.A.ID, models.SLOInput{Name: "api", Target: 0.999, WindowDays: 30})
		if err != nil {
			t.Fatal(err)
		}
		pm := fmt.Sprintf("/api/v1/postmortems/%d", e.f.SharedA.ID)
		// The fixture's incident lasted 47 minutes.
		if r := e.do("POST", pm+"/impacts", sre, map[string]any{"slo_id": slo.ID, "bad_minutes": 1e9}); r.Status != 400 ||
			!strings.Contains(string(r.Body), "at most 43200, the minutes in the SLO's 30-day window") {
			t.Fatalf("a billion bad minutes: %d %s", r.Status, r.Body)
		}
		if r := e.do("POST", pm+"/impacts", sre, map[string]any{"slo_id": slo.ID, "bad_minutes": 60}); r.Status != 400 ||
			!strings.Contains(string(r.Body), "at most 47, the minutes from started_at to resolved_at") {
			t.Fatalf("longer than the incident: %d %s", r.Status, r.Body)
		}
		r := e.do("POST", pm+"/impacts", sre, map[string]any{"slo_id": slo.ID, "bad_minutes": 40})
		if r.Status != 201 {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		impact := fmt.Sprintf("%s/impacts/%v", pm, r.json(t)["id"])

		scenarios := []struct {
			name, method, user string
			body               any
			status             int
			says               string
		}{
			{"window", "PATCH", sre, `{"bad_minutes": 1000000000}`, 400, "SLO's 30-day window"},
			{"incident", "PATCH", sre, `{"bad_minutes": 48}`, 400, "from started_at to resolved_at"},
			{"zero", "PATCH", sre, `{"bad_minutes": 0}`, 400, "positive number of minutes"},
			{"unknown field", "PATCH", sre, `{"slo_id": 3}`, 400, "not a known field"},
			{"customer", "PATCH", e.f.CustAdminA.Email, `{"bad_minutes": 10}`, 404, ""},
			{"viewer", "PATCH", e.f.Viewer.Email, `{"bad_minutes": 10}`, 403, ""},
			{"corrected", "PATCH", sre, `{"bad_minutes": 21.5}`, 200, `"bad_minutes":21.5`},
			{"of another postmortem", "PATCH", strings.Replace(impact, pm, fmt.Sprintf("/api/v1/postmortems/%d", e.f.SharedB.ID), 1) + "|" + sre, `{"bad_minutes": 10}`, 404, ""},
		}
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				path, user := impact, sc.user
				if p, u, ok := strings.Cut(sc.user, "|"); ok {
					path, user = p, u
				}
				r := e.do(sc.method, path, user, sc.body)
				if r.Status != sc.status || !strings.Contains(string(r.Body), sc.says) {
					t.Errorf("%d %s; want %d saying %q", r.Status, r.Body, sc.status, sc.says)
				}
			})
		}
		if r := e.do("DELETE", impact, e.f.CustA.Email, nil); r.Status != 404 {
			t.Errorf("customer delete: %d", r.Status)
		}
		if r := e.do("DELETE", impact, sre, nil); r.Status != 204 {
			t.Fatalf("delete: %d %s", r.Status, r.Body)
		}
		if r := e.do("DELETE", impact, sre, nil); r.Status != 404 {
			t.Errorf("second delete: %d", r.Status)
		}
		if items := e.do("GET", pm+"/impacts", sre, nil).json(t)["items"].([]any); len(items) != 0 {
			t.Errorf("impacts after delete: %v", items)
		}
		hist := string(e.do("GET", pm+"/history", sre, nil).Body)
		for _, want := range []string{`"old_value":"api: 40 bad minutes","new_value":"api: 21.5 bad minutes"`,
			`"old_value":"api: 21.5 bad minutes","reason":"impact deleted"`} {
			if !strings.Contains(hist, want) {
				t.Errorf("history lacks %s: %s", want, hist)
			}
		}
		if cust := string(e.do("GET", pm+"/history", e.f.CustA.Email, nil).Body); strings.Contains(cust, "bad minutes") {
			t.Errorf("a customer reads the impact history: %s", cust)
		}
	})
}

// TestImpossibleDatesAreRefused: due dates outside 2000-2100 and incident
// times in the future are refused with what is allowed.
func TestImpossibleDatesAreRefused(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		sre := e.f.SRE.Email
		item := fmt.Sprintf("/api/v1/action-items/%d", e.f.ProviderItemA.ID)
		items := fmt.Sprintf("/api/v1/postmortems/%d/action-items", e.f.SharedA.ID)
		pm := fmt.Sprintf("/api/v1/postmortems/%d", e.f.SharedA.ID)
		scenarios := []struct {
			name, method, path, body, field, says string
		}{
			{"due in year 1", "PATCH", item, `{"due_date": "0001-01-01"}`, "due_date", "between 2000-01-01 and 2100-12-31"},
			{"due in 2101", "PATCH", item, `{"due_date": "2101-01-01"}`, "due_date", "between 2000-01-01 and 2100-12-31"},
			{"created due in 1999", "POST", items, `{"title": "x", "type": "repair", "priority": "P2", "due_date": "1999-12-31"}`, "due_date", "between 2000-01-01"},
			{"mixed with a bad type", "POST", items, `{"title": "x", "type": "repair", "priority": 2, "due_date": "1999-12-31"}`, "due_date", "between 2000-01-01"},
			{"incident in 2099", "PATCH", pm, `{"started_at": "2099-01-01T00:00:00Z"}`, "started_at", "must not be in the future"},
			{"incident before 2000", "PATCH", pm, `{"resolved_at": "1970-01-01T00:00:00Z"}`, "resolved_at", "must not be before 2000-01-01"},
			{"new incident in 2099", "POST", "/api/v1/postmortems", `{"title": "x", "severity": "SEV2", "started_at": "2099-01-01T00:00:00Z"}`, "started_at", "must not be in the future"},
		}
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				r := e.do(sc.method, sc.path, sre, sc.body)
				if r.Status != 400 {
					t.Fatalf("status %d: %s", r.Status, r.Body)
				}
				_, fields := r.apiError(t)
				if msg, _ := fields[sc.field].(string); !strings.Contains(msg, sc.says) {
					t.Errorf("%s says %q, want %q", sc.field, msg, sc.says)
				}
			})
		}
		for _, ok := range []string{`{"due_date": "2030-06-30"}`, `{"due_date": null}`} {
			if r := e.do("PATCH", item, sre, ok); r.Status != 200 {
				t.Errorf("%s: %d %s", ok, r.Status, r.Body)
			}
		}
	})
}

// TestImpactFormsCorrectAndDelete: the postmortem page offers both forms to
// staff who write postmortems; a bad value comes back as the page's error.
func TestImpactFormsCorrectAndDelete(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		slo, err := e.f.Store.CreateSLO(ctx, e.f.A.ID, models.SLOInput{Name: "api", Target: 0.999, WindowDays: 30})
		if err != nil {
			t.Fatal(err)
		}
		imp, err := e.f.Store.CreateImpact(ctx, e.f.SRE, e.f.SharedA.ID, models.ImpactInput{SLOID: slo.ID, BadMinutes: 40})
		if err != nil {
			t.Fatal(err)
		}
		pm := fmt.Sprintf("/postmortems/%d", e.f.SharedA.ID)
		form := fmt.Sprintf("%s/impacts/%d", pm, imp.ID)
		if body := string(e.page("GET", pm, e.f.SRE.Email, nil).Body); !strings.Contains(body, `action="`+form+`"`) ||
			!strings.Contains(body, `action="`+form+`/delete"`) {
			t.Fatal("the postmortem page has no correct and delete forms")
		}
		if body := string(e.page("GET", pm, e.f.Viewer.Email, nil).Body); strings.Contains(body, form) {
			t.Error("a viewer is offered the forms")
		}
		r := e.page("POST", form, e.f.SRE.Email, map[string][]string{"bad_minutes": {"1000000000"}})
		if r.Status != 303 {
			t.Fatalf("bad value: %d", r.Status)
		}
		imps, _ := e.f.Store.ListImpacts(ctx, e.f.SRE, e.f.SharedA.ID)
		if len(imps) != 1 || imps[0].BadMinutes != 40 {
			t.Fatalf("a refused correction changed the impact: %+v", imps)
		}
		if r := e.page("POST", form, e.f.SRE.Email, map[string][]string{"bad_minutes": {"21.5"}}); r.Status != 303 {
			t.Fatalf("correct: %d", r.Status)
		}
		if imps, _ = e.f.Store.ListImpacts(ctx, e.f.SRE, e.f.SharedA.ID); len(imps) != 1 || imps[0].BadMinutes != 21.5 {
			t.Fatalf("after the correction: %+v", imps)
		}
		if r := e.page("POST", form+"/delete", e.f.SRE.Email, nil); r.Status != 303 {
			t.Fatalf("delete: %d", r.Status)
		}
		if imps, _ = e.f.Store.ListImpacts(ctx, e.f.SRE, e.f.SharedA.ID); len(imps) != 0 {
			t.Errorf("after the delete: %+v", imps)
		}
	})
}
