package main

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"
)

// checkOracles asks what a customer cannot read and compares the answers
// with those for nothing at all: search over every marker, filters by our
// assignees and by the other customer, and invitations of addresses that
// have accounts elsewhere.
func (w *leakWorld) checkOracles(t *testing.T, flashes map[string]string) {
	api := newLeakClient(t, w.base, w.alice.email, w.alice.token)
	var markers []string
	for m := range w.scan.markers {
		markers = append(markers, m)
	}
	sort.Strings(markers)
	if found := api.must(200, "GET", "/api/v1/postmortems?q=slowdown", nil, "").json(t)["items"].([]any); len(found) != 1 {
		t.Errorf("control: searching the shared title finds %d postmortems, want 1: the search proves nothing", len(found))
	}
	for _, m := range markers {
		a := api.send("GET", "/api/v1/postmortems?q="+url.QueryEscape(m), nil)
		if a.status == 200 && len(a.json(t)["items"].([]any)) > 0 {
			t.Errorf("GET /api/v1/postmortems?q=%s finds postmortems: the search reads %s", m, w.scan.markers[m])
		}
	}
	pairs := [][2]string{
		{"/api/v1/action-items?assignee=lkm.203@provider.example", "/api/v1/action-items?assignee=nobody@provider.example"},
		{"/api/v1/action-items?assignee=" + url.QueryEscape("Uma lkm.204"), "/api/v1/action-items?assignee=" + url.QueryEscape("Nobody Here")},
		{fmt.Sprintf("/api/v1/action-items?customer_id=%d", w.other.ID), fmt.Sprintf("/api/v1/action-items?customer_id=%d", leakNone)},
		{fmt.Sprintf("/api/v1/postmortems?customer_id=%d", w.other.ID), fmt.Sprintf("/api/v1/postmortems?customer_id=%d", leakNone)},
	}
	for _, key := range []string{"internal", "unpublished", "other"} {
		pairs = append(pairs, [2]string{fmt.Sprintf("/api/v1/action-items?postmortem_id=%d", w.pm[key]),
			fmt.Sprintf("/api/v1/action-items?postmortem_id=%d", leakNone)})
	}
	for _, p := range pairs {
		a, b := api.send("GET", p[0], nil), api.send("GET", p[1], nil)
		if a.status != b.status || string(a.body) != string(b.body) {
			t.Errorf("GET %s answers %d %.200q, but %s answers %d %.200q: the filter tells what Acme may not read",
				p[0], a.status, a.body, p[1], b.status, b.body)
		}
	}
	signOffs := api.must(200, "GET", fmt.Sprintf("/api/v1/postmortems/%d/sign-offs", w.pm["joint"]), nil, "").json(t)["items"].([]any)
	for _, so := range signOffs {
		if c, ok := so.(map[string]any)["customer_id"].(float64); ok && uint(c) != w.acme.ID {
			t.Errorf("the joint postmortem's sign-offs tell Acme that customer %d writes it too, and when it signed", uint(c))
		}
	}
	if len(signOffs) != 2 {
		t.Errorf("control: Acme reads %d sign-offs of the joint postmortem, want the provider's and its own", len(signOffs))
	}
	for _, email := range []string{"casey@other.example", "sam@provider.example"} {
		if flashes[email] != flashes["ghost@nowhere.example"] {
			t.Errorf("inviting %s says %q, a new address %q: the invitation tells that the account exists",
				email, flashes[email], flashes["ghost@nowhere.example"])
		}
	}
}

// checkRefusals tries, as Acme's member, every write a customer may call
// on objects it may not see or change: each must answer as for an object
// that does not exist, and change nothing it could read.
func (w *leakWorld) checkRefusals(t *testing.T) {
	api := newLeakClient(t, w.base, w.alice.email, w.alice.token)
	admin := newLeakClient(t, w.base, w.arno.email, w.arno.token)
	page := w.browser(w.alice)
	writes := w.customerWrites()
	byAdmin := len(writes)
	writes = append(writes, w.adminWrites()...)
	for i, wr := range writes {
		c := api
		if i >= byAdmin {
			c = admin
		}
		if !strings.HasPrefix(wr.path, "/api/") {
			c = page
		}
		send := func(id uint) leakAnswer {
			path := strings.Replace(wr.path, "ID", fmt.Sprint(id), 1)
			var body any
			if wr.body != nil {
				body = wr.body(id)
			}
			if form, ok := body.(url.Values); ok {
				form.Set("csrf", page.csrf("/portal"))
			}
			a := c.send(wr.method, path, body)
			w.scan.scan("refusals", wr.method+" "+path, a.body)
			return refusal(a)
		}
		none := send(leakNone)
		if none.status != 404 {
			t.Errorf("control: %s %s for a missing object answers %d, not 404: the comparison proves nothing", wr.method, wr.path, none.status)
		}
		for _, id := range wr.ids {
			if a := send(id); !sameAnswer(a, none, id, leakNone) {
				t.Errorf("%s %s with id %d answers %d %.300q; for a missing one %d %.300q: the answer tells that it exists",
					wr.method, wr.path, id, a.status, a.body, none.status, none.body)
			}
		}
	}
	w.scan.report(t, "refusals")
}
