package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

// TestOneBudgetEverywhere: the API, the live review and the customer page
// measure an SLO's budget by one computation over the SLO's window. As of
// 31 March 13:30 UTC a 30-day SLO's window starts on 1 March 13:30; the
// shared incident ran 13:00–13:47 that day and cost 47 bad minutes, 17 of
// them inside the window: 17 of a 43.2-minute budget, 39.4%.
func TestOneBudgetEverywhere(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	f, ctx := e.f, context.Background()
	now := time.Date(2026, 3, 31, 13, 30, 0, 0, time.UTC)
	f.Store.SetClock(func() time.Time { return now })
	slo, err := f.Store.CreateSLO(ctx, f.A.ID, models.SLOInput{Name: "api-availability", DisplayName: "API availability", Target: 0.999, WindowDays: 30})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Store.CreateImpact(ctx, f.SRE, f.SharedA.ID, models.ImpactInput{SLOID: slo.ID, BadMinutes: 47}); err != nil {
		t.Fatal(err)
	}
	check := func(where string, b map[string]any) {
		t.Helper()
		w, _ := b["window"].(map[string]any)
		if b["budget_minutes"] != 43.2 || b["consumed_minutes"] != 17.0 || b["consumed_share"] != 0.393519 ||
			w["kind"] != "rolling" || w["from"] != "2026-03-01T13:30:00Z" {
			t.Errorf("%s: budget %v, want 17 of 43.2 minutes over the 30 days from 2026-03-01T13:30:00Z", where, b)
		}
	}
	for _, email := range []string{f.SRE.Email, f.CustA.Email} {
		list := e.do("GET", "/api/v1/customers/"+id(f.A.ID)+"/slos", email, nil)
		items, _ := list.json(t)["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("SLOs as %s: %d %s", email, list.Status, list.Body)
		}
		item := items[0].(map[string]any)
		if item["budget_minutes"] != 43.2 {
			t.Errorf("budget_minutes = %v, want 43.2 without float noise", item["budget_minutes"])
		}
		b, _ := item["budget"].(map[string]any)
		check("API as "+email, b)
	}
	rep := e.do("GET", "/api/v1/customers/"+id(f.A.ID)+"/reports/2026-03?format=json", f.SRE.Email, nil)
	budgets, _ := rep.json(t)["budgets"].([]any)
	if len(budgets) != 1 {
		t.Fatalf("review: %d %s", rep.Status, rep.Body)
	}
	check("live review", budgets[0].(map[string]any))
	if inc := rep.json(t)["incidents"].([]any); len(inc) == 0 || !strings.Contains(fmt.Sprint(inc), "slo:API availability") {
		t.Errorf("incident tables name the SLO by its display name: %v", inc)
	}
	page := e.page("GET", "/customers/"+id(f.A.ID), f.SRE.Email, nil)
	body := string(page.Body)
	if page.Status != 200 || !strings.Contains(body, "rolling 30 days to 2026-03-31 13:30 UTC") || !strings.Contains(body, "17 min (39.4%)") {
		t.Errorf("customer page: %d, want the window and 17 min (39.4%%)", page.Status)
	}
}
