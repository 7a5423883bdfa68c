package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"fmt"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models/testdb"
)

// TestLeadWorkflow walks the API as an SRE lead does: a customer with an
// SLO, a shared postmortem with an impact and items on both sides, status
// changes, comments, history and publication.
func TestLeadWorkflow(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		sre := e.f.SRE.Email
		expect := func(r response, status int) map[string]any {
			t.Helper()
			if r.Status != status {
				t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
			}
			if len(r.Body) == 0 {
				return nil
			}
			return r.json(t)
		}
		cust := expect(e.do("POST", "/api/v1/customers", sre, map[string]any{
			"name": "Contoso", "slug": "contoso", "time_zone": "Asia/Tokyo", "contacts": []string{"SRE@Contoso.example"},
		}), 201)
		cid := int(cust["id"].(float64))
		if cust["contacts"].([]any)[0] != "sre@contoso.example" {
			t.Errorf("contacts not normalised: %v", cust["contacts"])
		}
		slo := expect(e.do("POST", fmt.Sprintf("/api/v1/customers/%d/slos", cid), sre, map[string]any{
			"name": "availability", "target": 0.999, "window_days": 30,
		}), 201)
		if slo["budget_minutes"].(float64) < 43.19 || slo["budget_minutes"].(float64) > 43.21 {
			t.Errorf("budget of 99.9%% over 30 days: %v minutes, want 43.2", slo["budget_minutes"])
		}
		pm := expect(e.do("POST", "/api/v1/postmortems", sre, map[string]any{
			"title": "API outage", "visibility": "shared", "customer_ids": []int{cid}, "severity": "SEV1",
			"started_at": "2026-03-01T13:00:00+01:00", "resolved_at": "2026-03-01T13:47:00Z",
			"summary": "internal summary", "external_summary": "Requests failed for 47 minutes.",
		}), 201)
		pid := int(pm["id"].(float64))
		if pm["started_at"] != "2026-03-01T12:00:00Z" || pm["status"] != "draft" {
			t.Errorf("started_at %v (want UTC) status %v", pm["started_at"], pm["status"])
		}
		imp := expect(e.do("POST", fmt.Sprintf("/api/v1/postmortems/%d/impacts", pid), sre, map[string]any{
			"slo_id": slo["id"], "bad_minutes": 21.6,
		}), 201)
		if imp["budget_share"].(float64) < 0.499 || imp["budget_share"].(float64) > 0.501 {
			t.Errorf("budget share %v, want 0.5", imp["budget_share"])
		}
		ours := expect(e.do("POST", fmt.Sprintf("/api/v1/postmortems/%d/action-items", pid), sre, map[string]any{
			"title": "Add a canary", "type": "prevent", "priority": "P0", "assignee": "sre@provider.example", "due_date": "2026-03-15",
		}), 201)
		theirs := expect(e.do("POST", fmt.Sprintf("/api/v1/postmortems/%d/action-items", pid), sre, map[string]any{
			"title": "Retry with backoff", "type": "mitigate", "priority": "P1", "owner": "customer", "customer_id": cid,
		}), 201)
		if ours["customer_visible"] != true || ours["overdue"] != true || theirs["owner"] != "customer" {
			t.Errorf("items: ours %v, theirs %v", ours, theirs)
		}
		iid := int(ours["id"].(float64))
		done := expect(e.do("PATCH", fmt.Sprintf("/api/v1/action-items/%d", iid), sre, map[string]any{"status": "done"}), 200)
		if done["closed_at"] == nil || done["overdue"] != false {
			t.Errorf("done item: %v", done)
		}
		expect(e.do("POST", fmt.Sprintf("/api/v1/action-items/%d/comments", iid), sre, map[string]any{"body": "Shipped in 4.13"}), 201)
		comments := expect(e.do("GET", fmt.Sprintf("/api/v1/action-items/%d/comments", iid), sre, nil), 200)
		if n := len(comments["items"].([]any)); n != 1 {
			t.Errorf("%d comments, want 1", n)
		}
		hist := expect(e.do("GET", fmt.Sprintf("/api/v1/action-items/%d/history", iid), sre, nil), 200)
		var fields []string
		for _, ev := range hist["items"].([]any) {
			m := ev.(map[string]any)
			fields = append(fields, fmt.Sprint(m["action"], ":", m["field"]))
		}
		if got := strings.Join(fields, ","); got != "created:<nil>,updated:status,commented:comment" {
			t.Errorf("history %s", got)
		}
		pub := expect(e.do("POST", fmt.Sprintf("/api/v1/postmortems/%d/publish", pid), sre, nil), 200)
		if pub["postmortem"].(map[string]any)["status"] != "published" {
			t.Errorf("publish: %v", pub)
		}
		expect(e.do("POST", fmt.Sprintf("/api/v1/postmortems/%d/publish", pid), sre, nil), 409)
		pmHist := expect(e.do("GET", fmt.Sprintf("/api/v1/postmortems/%d/history", pid), sre, nil), 200)
		if n := len(pmHist["items"].([]any)); n < 5 {
			t.Errorf("postmortem history has %d events, want its own and its items'", n)
		}
	})
}

func TestListsSayHowToGetTheNextPage(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	var seen int
	path := "/api/v1/action-items?limit=3&sort=-id"
	for pages := 0; path != ""; pages++ {
		r := e.do("GET", path, e.f.Admin.Email, nil)
		if r.Status != 200 {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		body := r.json(t)
		seen += len(body["items"].([]any))
		next, _ := body["next"].(string)
		if next != "" && !strings.Contains(r.Header.Get("Link"), `rel="next"`) {
			t.Errorf("no Link header with the next page")
		}
		if next != "" && !strings.Contains(next, "sort=-id") {
			t.Errorf("next page %q lost the sort", next)
		}
		path = next
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
	}
	if seen != 7 {
		t.Errorf("walked %d items over the pages, the fixture has 7", seen)
	}
}

func TestCustomerResponsesHoldNoInternalFields(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	paths := []string{
		"/api/v1/postmortems",
		fmt.Sprintf("/api/v1/postmortems/%d", e.f.SharedA.ID),
		fmt.Sprintf("/api/v1/postmortems/%d/action-items", e.f.SharedA.ID),
		fmt.Sprintf("/api/v1/postmortems/%d/history", e.f.SharedA.ID),
		"/api/v1/action-items",
		fmt.Sprintf("/api/v1/action-items/%d/history", e.f.ProviderItemA.ID),
	}
	for _, p := range paths {
		r := e.do("GET", p, e.f.CustA.Email, nil)
		if r.Status != 200 {
			t.Fatalf("%s: status %d", p, r.Status)
		}
		for _, leak := range []string{testdb.Marker, `"summary"`, `"timeline"`, `"root_causes"`, "sre@provider.example", "Bravo"} {
			if strings.Contains(string(r.Body), leak) {
				t.Errorf("%s shows %q to a customer: %s", p, leak, r.Body)
			}
		}
	}
}
