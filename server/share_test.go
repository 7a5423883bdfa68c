package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"fmt"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models/testdb"
)

func TestPublishRunsTheShareCheck(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		sre := e.f.SRE.Email
		path := fmt.Sprintf("/api/v1/postmortems/%d", e.f.SharedDraftA.ID)
		e.do("PATCH", path, sre, map[string]any{
			"external_cause": "Sid Sre restarted db-primary-2.corp, which had only 3 nodes left; see OPS-4471.",
		})
		r := e.do("POST", path+"/publish", sre, nil)
		if r.Status != 422 {
			t.Fatalf("publish with unsafe text: %d %s", r.Status, r.Body)
		}
		code, _ := r.apiError(t)
		details := r.json(t)["error"].(map[string]any)["details"].(map[string]any)
		kinds := map[string]string{}
		for _, f := range details["findings"].([]any) {
			m := f.(map[string]any)
			kinds[m["kind"].(string)] = m["key"].(string)
			if m["field"] != "external_cause" || m["message"] == "" {
				t.Errorf("finding %v", m)
			}
		}
		for _, k := range []string{"person_name", "internal_host", "capacity", "internal_reference"} {
			if kinds[k] == "" {
				t.Errorf("no %s finding in %v", k, kinds)
			}
		}
		if code != "share_check_failed" {
			t.Errorf("code %q", code)
		}
		// Overriding needs a reason for each, and covers only what it names.
		r = e.do("POST", path+"/publish", sre, map[string]any{"overrides": []map[string]string{{"key": kinds["capacity"], "reason": ""}}})
		if r.Status != 400 {
			t.Errorf("override without a reason: %d", r.Status)
		}
		r = e.do("POST", path+"/publish", sre, map[string]any{"overrides": []map[string]string{{"key": kinds["capacity"], "reason": "the customer asked for the figure"}}})
		if r.Status != 422 {
			t.Errorf("overriding one of four findings: %d", r.Status)
		}
		e.do("PATCH", path, sre, map[string]any{
			"external_cause": "An engineer restarted a database server that had too little spare capacity left, because the failover check was missing.",
		})
		r = e.do("POST", path+"/publish", sre, nil)
		if r.Status != 200 {
			t.Fatalf("publish once fixed: %d %s", r.Status, r.Body)
		}
		if w := r.json(t)["warnings"].([]any); len(w) == 0 {
			t.Errorf("an incomplete postmortem publishes without warnings")
		}
	})
}

func TestOverrideIsRecordedWithItsReason(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	path := fmt.Sprintf("/api/v1/postmortems/%d", e.f.SharedDraftA.ID)
	e.do("PATCH", path, e.f.SRE.Email, map[string]any{"external_impact": "Requests failed because of a Cloudflare outage."})
	body := e.do("POST", path+"/check", e.f.SRE.Email, nil).json(t)
	findings := body["findings"].([]any)
	if len(findings) != 1 {
		t.Fatalf("findings %v", findings)
	}
	key := findings[0].(map[string]any)["key"].(string)
	r := e.do("POST", path+"/publish", e.f.SRE.Email, map[string]any{"overrides": []map[string]string{{"key": key, "reason": "the provider is named in their contract"}}})
	if r.Status != 200 {
		t.Fatalf("publish with override: %d %s", r.Status, r.Body)
	}
	hist := string(e.do("GET", path+"/history", e.f.SRE.Email, nil).Body)
	if !strings.Contains(hist, `"action":"override"`) || !strings.Contains(hist, "the provider is named in their contract") {
		t.Errorf("history lacks the override and its reason: %s", hist)
	}
}

func TestCheckReadsTheEditorsDraft(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	path := fmt.Sprintf("/api/v1/postmortems/%d/check", e.f.SharedDraftA.ID)
	r := e.do("POST", path, e.f.SRE.Email, map[string]any{"fields": map[string]string{"external_summary": "Traffic to 10.0.4.12 was dropped."}})
	if r.Status != 200 || !strings.Contains(string(r.Body), `"ip_address"`) {
		t.Fatalf("check of a draft: %d %s", r.Status, r.Body)
	}
	body := r.json(t)
	if body["completeness"].(map[string]any)["score"] == nil || body["timeliness"].(map[string]any)["resolved"] != true {
		t.Errorf("check lacks completeness or timeliness: %s", r.Body)
	}
	if r := e.do("POST", path, e.f.SRE.Email, map[string]any{"fields": map[string]string{"title": "x"}}); r.Status != 400 {
		t.Errorf("check of a non-text field: %d", r.Status)
	}
	pmPath := fmt.Sprintf("/api/v1/postmortems/%d", e.f.SharedDraftA.ID)
	if got := e.do("GET", pmPath, e.f.SRE.Email, nil).json(t)["external_summary"]; strings.Contains(fmt.Sprint(got), "10.0.4.12") {
		t.Errorf("checking a draft saved it")
	}
	if r := e.do("PUT", "/api/v1/settings/share-check", e.f.Admin.Email, map[string]any{"host_patterns": []string{"(unclosed"}}); r.Status != 400 {
		t.Errorf("a pattern that does not compile: %d", r.Status)
	}
	e.do("PUT", "/api/v1/settings/share-check", e.f.Admin.Email, map[string]any{"vendors": []string{"Examplecloud"}, "internal_suffixes": []string{".corp"}})
	r = e.do("POST", path, e.f.SRE.Email, map[string]any{"fields": map[string]string{"external_cause": "Examplecloud had an outage."}})
	if !strings.Contains(string(r.Body), `"vendor"`) {
		t.Errorf("a vendor the admin added is not found: %s", r.Body)
	}
}

func TestInternalPostmortemPublishesWithoutTheShareCheck(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	path := fmt.Sprintf("/api/v1/postmortems/%d", e.f.Internal.ID)
	e.do("PATCH", path, e.f.SRE.Email, map[string]any{"external_summary": "Sid Sre rebooted 10.0.0.1"})
	if r := e.do("POST", path+"/publish", e.f.SRE.Email, nil); r.Status != 200 {
		t.Errorf("internal publish: %d %s", r.Status, r.Body)
	}
}

// The share check looks for people the internal fields name, and never
// blames the organisation the admin names as our own.
func TestShareCheckUsesInternalFieldsAndOwnNames(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) { shareCheckUsesInternalFieldsAndOwnNames(t, newEnv(t, db)) })
}

func shareCheckUsesInternalFieldsAndOwnNames(t *testing.T, e *env) {
	pmPath := fmt.Sprintf("/api/v1/postmortems/%d", e.f.SharedDraftA.ID)
	check := func(text string) string {
		return string(e.do("POST", pmPath+"/check", e.f.SRE.Email, map[string]any{"fields": map[string]string{"external_cause": text}}).Body)
	}
	if body := check("A migration by Okonkwo ran without a batch limit."); strings.Contains(body, `"person_name"`) {
		t.Fatalf("a surname nobody mentioned is a finding: %s", body)
	}
	e.do("PATCH", pmPath, e.f.SRE.Email, map[string]any{"root_causes": "The migration written by Chidi Okonkwo had no batch limit."})
	if body := check("A migration by Okonkwo ran without a batch limit."); !strings.Contains(body, `"match":"Okonkwo"`) {
		t.Errorf("a name from the internal root causes is not found: %s", body)
	}
	e.do("PUT", "/api/v1/settings/share-check", e.f.Admin.Email, map[string]any{"vendors": []string{"Examplecloud"}})
	if body := check("Examplecloud had an outage."); !strings.Contains(body, `"vendor"`) {
		t.Fatalf("a blamed vendor is not found: %s", body)
	}
	e.do("PUT", "/api/v1/settings/share-check", e.f.Admin.Email, map[string]any{"vendors": []string{"Examplecloud"}, "own_names": []string{"Examplecloud"}})
	if body := check("Examplecloud had an outage."); strings.Contains(body, `"vendor"`) {
		t.Errorf("our own organisation is blamed: %s", body)
	}
	if got := e.do("GET", "/api/v1/settings/share-check", e.f.SRE.Email, nil).json(t)["own_names"]; fmt.Sprint(got) != "[Examplecloud]" {
		t.Errorf("own_names = %v", got)
	}
}
