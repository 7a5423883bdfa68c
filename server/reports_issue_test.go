package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/notify"
)

// TestIssuingTwiceIssuesOnce: a second POST …/issue answers the review
// already issued (200, same id) and the portal lists the month once; a
// deliberate ?revise=true is revision 2, which the customer reads instead
// of the first while staff keep both; nothing is mailed unless asked, and
// a revision asked to be mailed goes to the contacts once.
func TestIssuingTwiceIssuesOnce(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	f, ctx := e.f, context.Background()
	issue := "/api/v1/customers/" + id(f.A.ID) + "/reports/2026-03/issue"
	list := "/api/v1/customers/" + id(f.A.ID) + "/issued-reports"
	first := e.do("POST", issue, f.SRE.Email, nil)
	again := e.do("POST", issue, f.SRE.Email, nil)
	if first.Status != 201 || again.Status != 200 {
		t.Fatalf("issue twice: %d then %d, want 201 then 200\n%s", first.Status, again.Status, again.Body)
	}
	one, two := first.json(t), again.json(t)
	if one["id"] != two["id"] || two["revision"] != float64(1) || two["created"] != false {
		t.Errorf("second issue answered %v, want the first (%v) unchanged", two, one["id"])
	}
	if items, _ := e.do("GET", list, f.CustA.Email, nil).json(t)["items"].([]any); len(items) != 1 {
		t.Errorf("the customer lists %d reviews of 2026-03 after issuing twice, want 1", len(items))
	}
	if r := e.do("PATCH", "/api/v1/postmortems/"+id(f.SharedA.ID), f.SRE.Email, map[string]any{"title": "Corrected title"}); r.Status != 200 {
		t.Fatalf("rename: %d %s", r.Status, r.Body)
	}
	rev := e.do("POST", issue+"?revise=true", f.SRE.Email, nil)
	revised := rev.json(t)
	if rev.Status != 201 || revised["revision"] != float64(2) || revised["id"] == one["id"] || revised["queued"] != float64(0) {
		t.Fatalf("revise: %d %s", rev.Status, rev.Body)
	}
	out := notify.NewOutbox(f.Store)
	if msgs, _ := out.List(ctx, "", 10); len(msgs) != 0 {
		t.Errorf("issuing mailed %d messages without being asked", len(msgs))
	}
	cust := e.do("GET", list, f.CustA.Email, nil).json(t)["items"].([]any)
	staff := e.do("GET", list, f.SRE.Email, nil).json(t)["items"].([]any)
	if len(cust) != 1 || cust[0].(map[string]any)["id"] != revised["id"] {
		t.Errorf("customer lists %v, want revision 2 alone", cust)
	}
	if len(staff) != 2 || staff[0].(map[string]any)["superseded"] != false || staff[1].(map[string]any)["superseded"] != true {
		t.Errorf("staff list %v, want revision 2 then the superseded revision 1", staff)
	}
	oldID := id(uint(one["id"].(float64)))
	if r := e.do("GET", "/api/v1/issued-reports/"+oldID+"?format=md", f.CustA.Email, nil); r.Status != 404 {
		t.Errorf("customer reads the superseded revision: %d", r.Status)
	}
	if r := e.do("GET", "/api/v1/issued-reports/"+oldID+"?format=md", f.SRE.Email, nil); r.Status != 200 || strings.Contains(string(r.Body), "Corrected title") {
		t.Errorf("staff read revision 1: %d, want it as first issued", r.Status)
	}
	newID := id(uint(revised["id"].(float64)))
	if r := e.do("GET", "/api/v1/issued-reports/"+newID+"?format=md", f.CustA.Email, nil); r.Status != 200 || !strings.Contains(string(r.Body), "Corrected title") {
		t.Errorf("customer reads revision 2: %d\n%s", r.Status, r.Body)
	}
	if r := e.do("POST", "/api/v1/issued-reports/"+oldID+"/email", f.SRE.Email, nil); r.Status != 422 {
		t.Errorf("mailing a superseded revision: %d, want 422", r.Status)
	}
	mailed := e.do("POST", issue+"?revise=true&email=true", f.SRE.Email, nil)
	if m := mailed.json(t); mailed.Status != 201 || m["revision"] != float64(3) || m["queued"] != float64(1) {
		t.Errorf("revise and mail: %d %s", mailed.Status, mailed.Body)
	}
	msgs, _ := out.List(ctx, "", 10)
	if len(msgs) != 1 {
		t.Fatalf("outbox holds %d messages, want 1", len(msgs))
	}
	if m, err := out.Get(ctx, msgs[0].ID); err != nil || !strings.Contains(m.Subject, "revision 3") {
		t.Errorf("revision mail subject %q, %v", m.Subject, err)
	}
	if r := e.do("POST", issue+"?revise=maybe", f.SRE.Email, nil); r.Status != 400 {
		t.Errorf("revise=maybe: %d", r.Status)
	}
}
