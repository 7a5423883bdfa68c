package main

import (
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
)

// leakNone is an id no object has: what a customer gets for an object it
// may not see must not differ from what it gets for this one.
const leakNone = 987654

var reviewFormats = []string{"json", "md", "html", "pdf", "csv"}

// leakRequest is one GET of a route with its parameters filled in. group
// names the route and variant with the object id left out, so that
// answers for different ids can be compared.
type leakRequest struct {
	path  string
	group string
	id    uint // the object of the path, 0 when none
}

// idsFor lists the ids a path parameter takes, by the segment before it;
// ok is false for a parameter this test does not know, so that a new
// route is not silently left unread.
func (w *leakWorld) idsFor(prev, param string, drafts []uint) (ids []string, obj []uint, ok bool) {
	add := func(vs ...uint) {
		for _, v := range vs {
			ids, obj = append(ids, fmt.Sprint(v)), append(obj, v)
		}
		ids, obj = append(ids, fmt.Sprint(leakNone)), append(obj, leakNone)
	}
	switch {
	case param == "month":
		for _, m := range w.months {
			ids, obj = append(ids, m.String()), append(obj, 0)
		}
	case param == "customer_id" || prev == "customers":
		add(w.acme.ID, w.other.ID)
	case prev == "postmortems":
		add(values(w.pm)...)
	case prev == "action-items" || prev == "items":
		add(values(w.item)...)
	case prev == "issued-reports" || prev == "reviews" || param == "issued":
		add(w.issued...)
	case prev == "review-drafts":
		add(drafts...)
	case prev == "slos" || param == "slo_id":
		add(w.sloID(w.acme), w.sloID(w.other))
	case prev == "users":
		// every account the world has, staff and customers alike
		add(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
	case prev == "outbox" || prev == "invitations" || prev == "webhooks":
		add(1, 2)
	case param == "token":
		ids, obj = []string{"forged-token"}, []uint{0}
	case param == "file":
		ids, obj = []string{"forged.atom"}, []uint{0}
	default:
		return nil, nil, false
	}
	return ids, obj, true
}

func values(m map[string]uint) []uint {
	out := make([]uint, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// queryVariants are the queries a route is read with: every format of a
// review, the filters of the lists.
func (w *leakWorld) queryVariants(route string) []string {
	switch route {
	case "/api/v1/customers/:id/reports/:month", "/api/v1/issued-reports/:id", "/api/v1/review-drafts/:id":
		out := []string{""}
		for _, f := range reviewFormats {
			out = append(out, "?format="+f)
		}
		return out
	case "/api/v1/review-drafts":
		out := []string{""}
		for _, m := range w.months {
			out = append(out, "?month="+m.String())
		}
		return out
	case "/api/v1/postmortems":
		return []string{"", "?status=published", "?status=draft", "?status=in_review", "?visibility=shared", "?visibility=joint",
			"?visibility=internal", "?severity=SEV2", "?severity=SEV3", fmt.Sprintf("?customer_id=%d", w.acme.ID),
			"?q=checkout", "?q=payment", "?q=search", "?limit=1"}
	case "/api/v1/action-items":
		out := []string{"", "?owner=provider", "?owner=customer", "?status=done", "?status=open,in_progress", "?overdue=true",
			"?priority=P1", "?priority=P2", fmt.Sprintf("?customer_id=%d", w.acme.ID), "?assignee=ops@acme.example",
			"?sort=due_date", "?limit=1"}
		for _, id := range values(w.pm) {
			out = append(out, fmt.Sprintf("?postmortem_id=%d", id))
		}
		return out
	case "/items":
		return []string{"", "?overdue=true"}
	}
	return []string{""}
}

// customerRequests fills every GET route the server has with every id of
// the world, and each of its query variants.
func (w *leakWorld) customerRequests(drafts []uint) []leakRequest {
	routes, _ := w.srv.Routes()
	var out []leakRequest
	for _, r := range routes {
		if r.Method != "GET" || strings.HasPrefix(r.Path, "/static/") {
			continue
		}
		paths := []leakRequest{{path: "", group: ""}}
		for _, seg := range strings.Split(strings.TrimPrefix(r.Path, "/"), "/") {
			var next []leakRequest
			if !strings.HasPrefix(seg, ":") {
				for _, p := range paths {
					next = append(next, leakRequest{p.path + "/" + seg, p.group + "/" + seg, p.id})
				}
				paths = next
				continue
			}
			prev := lastSegment(paths[0].group)
			ids, obj, ok := w.idsFor(prev, seg[1:], drafts)
			if !ok {
				w.t.Errorf("route GET %s has a parameter %s this test does not know: teach idsFor what it takes", r.Path, seg)
				paths = nil
				break
			}
			for _, p := range paths {
				for i, v := range ids {
					q := leakRequest{p.path + "/" + v, p.group + "/" + v, p.id}
					if obj[i] != 0 && seg != ":month" {
						q.group, q.id = p.group+"/"+seg, obj[i]
					}
					next = append(next, q)
				}
			}
			paths = next
		}
		for _, p := range paths {
			for _, v := range w.queryVariants(r.Path) {
				out = append(out, leakRequest{p.path + v, p.group + v, p.id})
			}
		}
	}
	return out
}

func lastSegment(p string) string {
	return p[strings.LastIndex(p, "/")+1:]
}

// nextPage is the link to a list's next page, if any.
func nextPage(body []byte) string {
	var l struct {
		Next string `json:"next"`
	}
	if json.Unmarshal(body, &l) != nil {
		return ""
	}
	return l.Next
}

var leakHref = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

// links are the same-site links of a page worth following: not assets,
// not signing out.
func links(body []byte) []string {
	var out []string
	for _, m := range leakHref.FindAllSubmatch(body, -1) {
		link, _, _ := strings.Cut(html.UnescapeString(string(m[1])), "#")
		if !strings.HasPrefix(link, "/") || strings.HasPrefix(link, "//") || strings.HasPrefix(link, "/static/") || link == "/logout" {
			continue
		}
		out = append(out, link)
	}
	return out
}

var leakVolatile = regexp.MustCompile(`name="csrf" value="[^"]*"|content="[A-Za-z0-9_-]{20,}"`)

// sameAnswer normalises what legitimately differs between two answers:
// CSRF tokens, and the id asked for where a path names it.
func sameAnswer(a, b leakAnswer, idA, idB uint) bool {
	norm := func(x leakAnswer, id uint) string {
		s := leakVolatile.ReplaceAllString(string(x.body), "")
		s = regexp.MustCompile(fmt.Sprintf(`/%d\b`, id)).ReplaceAllString(s, "/ID")
		return fmt.Sprint(x.status) + "\n" + s
	}
	return norm(a, idA) == norm(b, idB)
}

// leakWrite is a write a customer may try on an object it may not change.
type leakWrite struct {
	method, path string // path holds ID where the object's id goes
	body         func(id uint) any
	ids          []uint
}

// customerWrites are the writes of the API and the portal a customer user
// may call, aimed at objects Acme may not see (or not change), each with
// a body that would be valid on one it may.
func (w *leakWorld) customerWrites() []leakWrite {
	hiddenItems := []uint{w.item["hidden"], w.item["internal"], w.item["unpublished"], w.item["other"], w.item["joint-hidden"],
		w.item["joint-other"], w.item["both-other"], w.item["canary"]}
	hiddenPMs := []uint{w.pm["internal"], w.pm["unpublished"], w.pm["other"]}
	jsonBody := func(m map[string]any) func(uint) any { return func(uint) any { return m } }
	form := func(kv ...string) func(uint) any {
		return func(uint) any {
			v := url.Values{}
			for i := 0; i < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return v
		}
	}
	return []leakWrite{
		{"PATCH", "/api/v1/action-items/ID", jsonBody(map[string]any{"status": "done"}), hiddenItems},
		{"POST", "/api/v1/action-items/ID/comments", jsonBody(map[string]any{"body": "Any news?"}), hiddenItems},
		{"POST", "/api/v1/postmortems/ID/action-items", jsonBody(map[string]any{"title": "Ours", "type": "repair", "priority": "P2"}), hiddenPMs},
		{"PUT", fmt.Sprintf("/api/v1/postmortems/ID/joint-sections/%d", w.acme.ID), jsonBody(map[string]any{"impact": "Late."}), hiddenPMs},
		{"PUT", fmt.Sprintf("/api/v1/postmortems/%d/joint-sections/ID", w.pm["joint"]), jsonBody(map[string]any{"impact": "Late."}), []uint{w.other.ID}},
		{"POST", "/api/v1/postmortems/ID/sign-offs", nil, hiddenPMs},
		{"POST", "/portal/items/ID", form("status", "done"), hiddenItems},
		{"POST", "/portal/items/ID/comments", form("body", "Any news?"), hiddenItems},
		{"POST", "/portal/postmortems/ID/items", form("title", "Ours", "type", "repair", "priority", "P2"), hiddenPMs},
		{"POST", "/portal/postmortems/ID/section", form("impact", "Late."), hiddenPMs},
		{"POST", "/portal/postmortems/ID/sign-off", form(), hiddenPMs},
		// Impacts are staff-only: one on a postmortem Acme reads, and the
		// other customer's, answer as a missing one does.
		{"PATCH", fmt.Sprintf("/api/v1/postmortems/%d/impacts/ID", w.pm["shared"]), jsonBody(map[string]any{"bad_minutes": 1}), []uint{w.impact["shared"]}},
		{"DELETE", fmt.Sprintf("/api/v1/postmortems/%d/impacts/ID", w.pm["shared"]), nil, []uint{w.impact["shared"]}},
		{"PATCH", fmt.Sprintf("/api/v1/postmortems/%d/impacts/ID", w.pm["both"]), jsonBody(map[string]any{"bad_minutes": 1}), []uint{w.impact["both"]}},
		// Measuring, SLIs and archiving are staff's: aimed at what Acme
		// reads and at what it does not, they answer as a missing one.
		{"POST", "/api/v1/postmortems/ID/impacts/measure", jsonBody(map[string]any{}), append([]uint{w.pm["shared"]}, hiddenPMs...)},
		{"PUT", fmt.Sprintf("/api/v1/customers/%d/slos/ID/sli", w.acme.ID), jsonBody(map[string]any{"total_query": "up", "bad_query": "up"}), []uint{w.sloID(w.acme)}},
		{"PUT", fmt.Sprintf("/api/v1/customers/%d/slos/ID/sli", w.other.ID), jsonBody(map[string]any{"total_query": "up", "bad_query": "up"}), []uint{w.sloID(w.other)}},
		{"DELETE", "/api/v1/action-items/ID", nil, hiddenItems},
	}
}

// adminWrites are the writes only Acme's customer admin may call, aimed at
// another organisation's objects.
func (w *leakWorld) adminWrites() []leakWrite {
	return []leakWrite{
		{"DELETE", "/api/v1/webhooks/ID", nil, []uint{w.otherHook}},
	}
}

// refusal is an answer to a write as a reader sees it: status, where it
// sends the browser, the flash it sets, and the body.
func refusal(a leakAnswer) leakAnswer {
	var flash []string
	for _, c := range a.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "amends_flash=") {
			flash = append(flash, c)
		}
	}
	body := a.header.Get("Location") + "\n" + strings.Join(flash, "\n") + "\n" + string(a.body)
	return leakAnswer{status: a.status, body: []byte(body)}
}
