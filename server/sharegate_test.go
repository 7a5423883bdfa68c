package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

// leaky is customer-facing text the share check must stop: an internal
// host, an address, capacity figures and an engineer's email.
const leaky = "Traffic through lb-07.prod.corp (10.20.4.17) failed: 12 nodes at 40,000 requests per second; contact dana@provider.example."

// findingKeys reads the keys of a 422 share_check_failed answer.
func findingKeys(t *testing.T, r response) []string {
	t.Helper()
	if r.Status != 422 {
		t.Fatalf("want 422 share_check_failed, got %d %s", r.Status, r.Body)
	}
	e := r.json(t)["error"].(map[string]any)
	if e["code"] != "share_check_failed" {
		t.Fatalf("code %v", e["code"])
	}
	var keys []string
	for _, f := range e["details"].(map[string]any)["findings"].([]any) {
		keys = append(keys, f.(map[string]any)["key"].(string))
	}
	if len(keys) == 0 {
		t.Fatalf("422 without findings: %s", r.Body)
	}
	return keys
}

func overridesFor(keys []string, reason string) []map[string]string {
	out := []map[string]string{}
	for _, k := range keys {
		out = append(out, map[string]string{"key": k, "reason": reason})
	}
	return out
}

// TestEditsAfterPublishingPassTheShareCheck is issue 17's first bullet:
// on main before the share gate, each of these writes answered 200/201 and
// the customer read the text at once.
func TestEditsAfterPublishingPassTheShareCheck(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		sre := e.f.SRE.Email
		pm := func(p *models.Postmortem) string { return fmt.Sprintf("/api/v1/postmortems/%d", p.ID) }
		item := func(it *models.ActionItem) string { return fmt.Sprintf("/api/v1/action-items/%d", it.ID) }
		scenarios := []struct {
			name, method string
			path         func() string
			body         map[string]any
			// read is a customer read that must not show the text.
			read func() string
		}{
			{"external field of a published shared postmortem", "PATCH", func() string { return pm(e.f.SharedA) },
				map[string]any{"external_summary": leaky}, func() string { return pm(e.f.SharedA) }},
			{"title of a published shared postmortem", "PATCH", func() string { return pm(e.f.SharedA) },
				map[string]any{"title": "Outage of lb-07.prod.corp"}, func() string { return pm(e.f.SharedA) }},
			{"title of a customer-visible item", "PATCH", func() string { return item(e.f.ProviderItemA) },
				map[string]any{"title": "Replace lb-07.prod.corp"}, func() string { return item(e.f.ProviderItemA) }},
			{"description of a customer-visible item", "PATCH", func() string { return item(e.f.ProviderItemA) },
				map[string]any{"description": leaky}, func() string { return item(e.f.ProviderItemA) }},
			{"an internal item made customer-visible", "PATCH", func() string { return item(e.f.InternalItemA) },
				map[string]any{"customer_visible": true, "description": leaky}, func() string { return item(e.f.InternalItemA) }},
			{"a new customer-visible item", "POST", func() string { return pm(e.f.SharedA) + "/action-items" },
				map[string]any{"title": "Fix 10.20.4.17", "type": "repair", "priority": "P2"}, func() string { return pm(e.f.SharedA) + "/action-items" }},
			{"a customer-visible comment", "POST", func() string { return item(e.f.ProviderItemA) + "/comments" },
				map[string]any{"body": leaky, "customer_visible": true}, func() string { return item(e.f.ProviderItemA) + "/comments" }},
			{"a joint section written by staff", "PUT", func() string { return fmt.Sprintf("%s/joint-sections/%d", pm(e.f.JointA), e.f.A.ID) },
				map[string]any{"impact": leaky}, func() string { return pm(e.f.JointA) + "/joint-sections" }},
			{"an external field of a joint draft", "PATCH", func() string { return pm(e.f.JointA) },
				map[string]any{"external_cause": leaky}, func() string { return pm(e.f.JointA) }},
			{"a new joint postmortem", "POST", func() string { return "/api/v1/postmortems" },
				map[string]any{"title": "Checkout errors", "visibility": "joint", "customer_ids": []uint{e.f.A.ID}, "severity": "SEV2",
					"external_summary": leaky}, func() string { return "/api/v1/postmortems" }},
		}
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				seen := string(e.do("GET", sc.read(), e.f.CustA.Email, nil).Body)
				keys := findingKeys(t, e.do(sc.method, sc.path(), sre, sc.body))
				if got := string(e.do("GET", sc.read(), e.f.CustA.Email, nil).Body); got != seen {
					t.Fatalf("a refused write reached the customer:\n%s\nwas\n%s", got, seen)
				}
				body := map[string]any{"share_overrides": overridesFor(keys, "")}
				for k, v := range sc.body {
					body[k] = v
				}
				if r := e.do(sc.method, sc.path(), sre, body); r.Status != 400 {
					t.Errorf("override without a reason: %d %s", r.Status, r.Body)
				}
				body["share_overrides"] = overridesFor(keys, "agreed with the customer's security team")
				if r := e.do(sc.method, sc.path(), sre, body); r.Status/100 != 2 {
					t.Fatalf("write with every finding overridden: %d %s", r.Status, r.Body)
				}
			})
		}
		// Each override is in the history with its reason; customers never
		// read it.
		hist := string(e.do("GET", item(e.f.ProviderItemA)+"/history", sre, nil).Body)
		if !strings.Contains(hist, `"action":"override"`) || !strings.Contains(hist, "agreed with the customer's security team") {
			t.Errorf("item history lacks the override: %s", hist)
		}
		if hist := string(e.do("GET", item(e.f.ProviderItemA)+"/history", e.f.CustA.Email, nil).Body); strings.Contains(hist, "override") {
			t.Errorf("a customer reads an override: %s", hist)
		}
	})
}

// TestShareGateBlocksOnlyWhatTheWriteIntroduced: a finding overridden once
// does not block later edits of the same text, a finding moved within its
// field does not either, and internal fields and unpublished shared
// postmortems are not checked at all.
func TestShareGateBlocksOnlyWhatTheWriteIntroduced(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		sre := e.f.SRE.Email
		path := fmt.Sprintf("/api/v1/postmortems/%d", e.f.SharedA.ID)
		keys := findingKeys(t, e.do("PATCH", path, sre, map[string]any{"external_summary": "Requests to 10.20.4.17 failed."}))
		if r := e.do("PATCH", path, sre, map[string]any{"external_summary": "Requests to 10.20.4.17 failed.",
			"share_overrides": map[string]string{keys[0]: "the customer's own address"}}); r.Status != 200 {
			t.Fatalf("override as an object: %d %s", r.Status, r.Body)
		}
		ok := []struct {
			name string
			body map[string]any
		}{
			{"another external field", map[string]any{"external_impact": "Checkout was slow for 20 minutes."}},
			{"the same field, the old finding kept", map[string]any{"external_summary": "For twenty minutes, requests to 10.20.4.17 failed."}},
			{"an internal field", map[string]any{"summary": leaky, "timeline": "13:00 dana@provider.example paged"}},
		}
		for _, sc := range ok {
			if r := e.do("PATCH", path, sre, sc.body); r.Status != 200 {
				t.Errorf("%s: %d %s", sc.name, r.Status, r.Body)
			}
		}
		// The same address twice is more than the customer read before.
		findingKeys(t, e.do("PATCH", path, sre, map[string]any{"external_summary": "10.20.4.17 and again 10.20.4.17"}))
		// A draft is checked when it is published, not before.
		draft := fmt.Sprintf("/api/v1/postmortems/%d", e.f.SharedDraftA.ID)
		if r := e.do("PATCH", draft, sre, map[string]any{"external_summary": leaky}); r.Status != 200 {
			t.Errorf("edit of a shared draft: %d %s", r.Status, r.Body)
		}
		// A customer added to a postmortem reads its text for the first
		// time: what was overridden for Acme is new to Bravo.
		keys = findingKeys(t, e.do("PATCH", path, sre, map[string]any{"customer_ids": []uint{e.f.A.ID, e.f.B.ID}}))
		if strings.Join(keys, ",") != "ip_address:external_summary:10.20.4.17" {
			t.Errorf("findings for a customer added: %v", keys)
		}
		if r := e.do("PATCH", path, sre, map[string]any{"customer_ids": []uint{e.f.A.ID, e.f.B.ID},
			"share_overrides": overridesFor(keys, "both use the same gateway")}); r.Status != 200 {
			t.Errorf("customer added with the override: %d %s", r.Status, r.Body)
		}
		// Sharing an internal published postmortem shows all of it at once.
		internal := fmt.Sprintf("/api/v1/postmortems/%d", e.f.Internal.ID)
		e.do("PATCH", internal, sre, map[string]any{"external_cause": leaky})
		if r := e.do("POST", internal+"/publish", sre, nil); r.Status != 200 {
			t.Fatalf("publish internal: %d %s", r.Status, r.Body)
		}
		findingKeys(t, e.do("PATCH", internal, sre, map[string]any{"visibility": "shared"}))
	})
}

// TestCustomerWritesAreWarnedNotRefused: a customer's own text is not ours
// to refuse, but staff see what the check found in it.
func TestCustomerWritesAreWarnedNotRefused(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		cust := e.f.CustA.Email
		path := fmt.Sprintf("/api/v1/action-items/%d", e.f.CustomerItemA.ID)
		if r := e.do("PATCH", path, cust, map[string]any{"title": "Rotate keys on 10.20.4.17"}); r.Status != 200 {
			t.Fatalf("customer edit: %d %s", r.Status, r.Body)
		}
		if r := e.do("POST", path+"/comments", cust, map[string]any{"body": "Ask dana@acme.example"}); r.Status != 201 {
			t.Fatalf("customer comment: %d %s", r.Status, r.Body)
		}
		hist := string(e.do("GET", path+"/history", e.f.SRE.Email, nil).Body)
		for _, want := range []string{`"action":"share_warning"`, "ip_address:action_items", "email:comments["} {
			if !strings.Contains(hist, want) {
				t.Errorf("staff history lacks %s: %s", want, hist)
			}
		}
		if hist := string(e.do("GET", path+"/history", cust, nil).Body); strings.Contains(hist, "share_") {
			t.Errorf("a customer reads share warnings: %s", hist)
		}
	})
}

// TestShareGateFormsKeepWhatWasTyped: the staff forms show the findings of
// a refused save with what was typed and a reason input per finding, and
// the same form sent back with reasons saves.
func TestShareGateFormsKeepWhatWasTyped(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	sre := e.f.SRE.Email
	pm := e.f.SharedA
	pmForm := url.Values{"title": {pm.Title}, "visibility": {pm.Visibility}, "severity": {pm.Severity},
		"status": {pm.Status}, "customer_ids": {fmt.Sprint(e.f.A.ID)}, "started_at": {"2026-03-01T13:00"},
		"resolved_at": {"2026-03-01T13:47"}, "summary": {pm.Summary}, "root_causes": {pm.RootCauses},
		"timeline": {pm.Timeline}, "external_summary": {leaky}, "external_impact": {pm.ExternalImpact},
		"external_cause": {pm.ExternalCause}, "external_next_steps": {pm.ExternalNextSteps}}
	itemForm := url.Values{"title": {"Replace lb-07.prod.corp"}, "description": {"details"}, "status": {"open"},
		"priority": {"P1"}, "assignee": {"sre@provider.example"}, "due_date": {""}}
	commentForm := url.Values{"body": {"Ask dana@provider.example"}, "customer_visible": {"1"}}
	scenarios := []struct {
		name, path string
		form       url.Values
		typed      string
	}{
		{"postmortem editor", fmt.Sprintf("/postmortems/%d", pm.ID), pmForm, "lb-07.prod.corp (10.20.4.17)"},
		{"item editor", fmt.Sprintf("/items/%d", e.f.ProviderItemA.ID), itemForm, `value="Replace lb-07.prod.corp"`},
		{"comment form", fmt.Sprintf("/items/%d/comments", e.f.ProviderItemA.ID), commentForm, "Ask dana@provider.example</textarea>"},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			r := e.page("POST", sc.path, sre, cloneValues(sc.form))
			body := html.UnescapeString(string(r.Body))
			if r.Status != 422 || !strings.Contains(body, sc.typed) || !strings.Contains(body, `name="reason_0"`) {
				t.Fatalf("refused save: %d, typed text or reason input missing:\n%s", r.Status, body)
			}
			form := cloneValues(sc.form)
			for i, m := range regexp.MustCompile(`name="key_\d+" value="([^"]+)"`).FindAllStringSubmatch(body, -1) {
				form.Set(fmt.Sprintf("key_%d", i), m[1])
				form.Set(fmt.Sprintf("reason_%d", i), "the customer asked for it")
			}
			if r := e.page("POST", sc.path, sre, form); r.Status != 303 {
				t.Fatalf("save with reasons: %d %s", r.Status, r.Body)
			}
		})
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// TestPublishChecksTheTitleAndComments: publishing shows customers the
// title and the customer-visible comments too, which the publish check
// did not read before the share gate.
func TestPublishChecksTheTitleAndComments(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		sre := e.f.SRE.Email
		path := fmt.Sprintf("/api/v1/postmortems/%d", e.f.SharedDraftA.ID)
		e.do("PATCH", path, sre, map[string]any{"title": "Outage of lb-07.prod.corp"})
		it := e.do("POST", path+"/action-items", sre, map[string]any{"title": "Add a failover check", "type": "repair", "priority": "P2"})
		itemID := it.json(t)["id"]
		if r := e.do("POST", fmt.Sprintf("/api/v1/action-items/%v/comments", itemID), sre,
			map[string]any{"body": "Ask dana@provider.example", "customer_visible": true}); r.Status != 201 {
			t.Fatalf("comment on a draft: %d %s", r.Status, r.Body)
		}
		keys := findingKeys(t, e.do("POST", path+"/publish", sre, nil))
		joined := strings.Join(keys, " ")
		if !strings.Contains(joined, "internal_host:title:lb-07.prod.corp") || !strings.Contains(joined, "email:comments[") {
			t.Fatalf("publish findings %v", keys)
		}
		if r := e.do("POST", path+"/publish", sre, map[string]any{"overrides": overridesFor(keys, "cleared with the customer")}); r.Status != 200 {
			t.Fatalf("publish with overrides: %d %s", r.Status, r.Body)
		}
	})
}
