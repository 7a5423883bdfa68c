package main

import (
	"fmt"
	"strings"
	"testing"
)

// The public, anyone reading the public page, reads less than any
// customer: besides every marker, nothing Acme may read that is not a
// public postmortem's public part may reach it. publicOnly are such
// texts, each in something Acme reads.
var publicOnly = map[string]string{
	"Acme":                                   "a customer's name",
	"ops@acme.example":                       "a customer's contact",
	"Checkout slowdown":                      "a shared postmortem's title",
	"Checkout requests were slow":            "a shared postmortem's external text",
	"Payment webhook delays":                 "a joint postmortem's title",
	"Search latency":                         "a postmortem shared with both customers",
	"Queue backlog":                          "a postmortem shared with Acme later",
	"Add a canary stage":                     "a shared postmortem's item, followed up by the public one",
	"Tune the retry budget":                  "Acme's own item on a shared postmortem",
	"Replay missed webhooks":                 "Acme's item on the joint postmortem",
	"We are rolling the canary stage out":    "a customer-visible comment",
	"Acme checks its card retry settings":    "Acme's own item on the public postmortem",
	"Card retries rolled out to half":        "a customer-visible comment on a public promise",
	"Retries went out with the next release": "a customer-visible comment on a kept public promise",
}

// publicTitle and the texts below are what the public reads.
const leakPublicTitle = "Card payment errors"

// publicPostmortem is public and names Acme: its internal fields, an
// internal-only item and our assignees carry markers, and Acme's item and
// the comments are Acme's to read but not the public's. One promise is
// kept, one stays open, and it follows up on items of postmortems the
// public may not read.
func (w *leakWorld) publicPostmortem() {
	s := w.scan
	w.at(w.day(0, 12, 10))
	start, end := times(w.day(0, 12, 8), 30)
	pm := w.postmortem("public", map[string]any{"title": s.mark("401", "a draft title of the public postmortem, before publishing"),
		"visibility": "public", "customer_ids": []uint{w.acme.ID}, "severity": "SEV2", "started_at": start, "resolved_at": end,
		"summary": s.mark("402", "the internal summary of the public postmortem"), "root_causes": s.mark("403", "the internal root causes of the public postmortem"),
		"timeline":         s.mark("404", "the internal timeline of the public postmortem"),
		"external_summary": s.mark("405", "a draft external summary of the public postmortem"), "external_impact": "Some card payments failed.",
		"external_cause": "A configuration change reached every server at once.", "external_next_steps": "We now retry card payments."})
	w.newItem("public-kept", pm, map[string]any{"title": "Retry card payments automatically", "type": "mitigate", "priority": "P1",
		"assignee": s.mark("406", "the staff assignee of a public promise") + "@provider.example"})
	w.newItem("public-open", pm, map[string]any{"title": "Alert on card payment errors", "type": "detect", "priority": "P2",
		"assignee": "Uma lkm.204"})
	w.newItem("public-hidden", pm, map[string]any{"title": s.mark("407", "an internal-only item of the public postmortem"), "type": "repair",
		"priority": "P1", "customer_visible": false})
	w.newItem("public-acme", pm, map[string]any{"title": "Acme checks its card retry settings", "owner": "customer", "customer_id": w.acme.ID,
		"type": "mitigate", "priority": "P2", "assignee": "ops@acme.example"})
	w.comment(w.lead, w.item["public-open"], s.mark("408", "an internal comment on a public promise"), false)
	w.comment(w.lead, w.item["public-open"], "Card retries rolled out to half of the traffic.", true)
	for _, it := range []string{"canary", "internal"} {
		w.lead.must(201, "POST", fmt.Sprintf("/api/v1/postmortems/%d/follow-ups", pm), map[string]any{"action_item_id": w.item[it]}, "")
	}
	w.patchPM(pm, map[string]any{"title": leakPublicTitle, "external_summary": "For 30 minutes, some card payments failed."})
	w.publish(pm)
	w.at(w.day(0, 14, 10))
	w.comment(w.lead, w.item["public-kept"], "Retries went out with the next release.", true)
	w.patchItem(w.lead, w.item["public-kept"], map[string]any{"status": "done"})
	// A promise made by mistake and archived at once: never on the public page.
	mistake := w.newItem("public-archived", pm, map[string]any{"title": s.mark("419", "the title of a public promise archived at once"),
		"type": "repair", "priority": "P1"})
	w.lead.must(204, "DELETE", fmt.Sprintf("/api/v1/action-items/%d", mistake), nil, "")
	w.lead.must(200, "PUT", "/api/v1/settings/public", map[string]any{"enabled": true, "title": "Incident history",
		"organisation_name": "Provider Co"}, "")
}

// readPublic reads every /status route with every id, and every link of
// the public page, as an anonymous reader, and fails on any marker or any
// text only a customer may read; and where anything but the public
// postmortem answers otherwise than one that does not exist.
func (w *leakWorld) readPublic(t *testing.T, drafts []uint) {
	scan := newLeakScan()
	for m, what := range w.scan.markers {
		scan.markers[m] = what
	}
	for text, what := range publicOnly {
		scan.literal(text, what)
	}
	anon := newLeakClient(t, w.base, "anonymous", "")
	byGroup := map[string]map[uint]leakAnswer{}
	var read int
	for _, r := range w.customerRequests(drafts) {
		if !strings.HasPrefix(r.path, "/status") {
			continue
		}
		read++
		a := anon.send("GET", r.path, nil)
		scan.scan("public", "GET "+r.path+" as anyone", a.body)
		if r.id == 0 {
			if a.status != 200 {
				t.Errorf("GET %s as anyone: %d", r.path, a.status)
			}
			continue
		}
		if byGroup[r.group] == nil {
			byGroup[r.group] = map[uint]leakAnswer{}
		}
		byGroup[r.group][r.id] = a
	}
	if read < 3 {
		t.Errorf("control: only %d /status requests were read", read)
	}
	for group, answers := range byGroup {
		none := answers[leakNone]
		for id, a := range answers {
			if id == w.pm["public"] {
				if a.status != 200 {
					t.Errorf("GET %s for the public postmortem: %d", group, a.status)
				}
				continue
			}
			if !sameAnswer(a, none, id, leakNone) {
				t.Errorf("GET %s as anyone: id %d answers %d %.200q, a missing one %d %.200q: the public page tells that it exists",
					group, id, a.status, a.body, none.status, none.body)
			}
		}
	}
	w.crawlPublic(t, anon, scan)
	scan.report(t, "public")
	scan.control(t, "public", leakPublicTitle, "For 30 minutes, some card payments failed.", "We now retry card payments.",
		"Retry card payments automatically", "done on", "Alert on card payment errors", "1 of 2 promises kept",
		"Promise kept: Retry card payments automatically", "og:title")
}

// crawlPublic follows every link of the public page, as a reader would.
func (w *leakWorld) crawlPublic(t *testing.T, anon *leakClient, scan *leakScan) {
	seen := map[string]bool{"/status": true}
	queue := []string{"/status"}
	for len(queue) > 0 && len(seen) < 100 {
		p := queue[0]
		queue = queue[1:]
		a := anon.send("GET", p, nil)
		scan.scan("public", "crawl "+p+" as anyone", a.body)
		if a.status != 200 {
			t.Errorf("crawl: %s answers %d to anyone", p, a.status)
		}
		for _, l := range links(a.body) {
			if !seen[l] {
				seen[l] = true
				queue = append(queue, l)
			}
		}
	}
	if !seen[fmt.Sprintf("/status/postmortems/%d", w.pm["public"])] || !seen["/status/feed.atom"] {
		t.Errorf("control: the crawl of the public page reached only %v", seen)
	}
}
