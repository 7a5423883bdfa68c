package server_test

import (
	"html"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models/testdb"
)

// leaks are strings that must never reach customer A: the marker planted
// in every internal field and internal-only item, and customer B's data.
var leaks = []string{testdb.Marker, "Bravo", "ops@bravo.example", "sre@provider.example"}

func assertNoLeak(t *testing.T, where, body string) {
	t.Helper()
	body = html.UnescapeString(body)
	for _, l := range leaks {
		if strings.Contains(body, l) {
			t.Errorf("%s shows %q to customer A", where, l)
		}
	}
}

// TestNothingInternalReachesACustomer reads every API route of the matrix
// and every portal page as customer A and searches the answers for
// internal content and other customers' data.
func TestNothingInternalReachesACustomer(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	// The control: staff do see the marker, so its absence below means
	// something.
	if r := e.do("GET", "/api/v1/postmortems/"+id(e.f.SharedA.ID), e.f.SRE.Email, nil); !strings.Contains(string(r.Body), testdb.Marker) {
		t.Fatal("the fixture's marker is not in the staff view")
	}
	for _, mc := range matrix {
		if mc.method != "GET" {
			continue
		}
		path := mc.path(e.f)
		for _, email := range []string{e.f.CustA.Email, e.f.CustAdminA.Email} {
			r := e.do("GET", path, email, nil)
			if r.Status == 200 {
				assertNoLeak(t, path, string(r.Body))
			}
		}
	}
	issuedReviewOfA(e.f)
	crawlPortal(t, e, e.f.CustA.Email, 6)
	crawlPortal(t, e, e.f.CustAdminA.Email, 8)
}

// crawlPortal follows every portal link as the user and searches each page
// for leaks.
func crawlPortal(t *testing.T, e *env, email string, atLeast int) {
	t.Helper()
	b := newBrowser(t, e.srv.Handler())
	if b.login(email, testdb.Password) != 303 {
		t.Fatal("customer sign-in failed")
	}
	seen := map[string]bool{"/portal": true}
	queue := []string{"/portal"}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		status, body, _ := b.get(p)
		if status != 200 {
			t.Errorf("%s answers %d", p, status)
			continue
		}
		assertNoLeak(t, p, body)
		for _, m := range hrefs.FindAllStringSubmatch(body, -1) {
			link, _, _ := strings.Cut(html.UnescapeString(m[1]), "#")
			if strings.HasPrefix(link, "/portal") && !seen[link] {
				seen[link] = true
				queue = append(queue, link)
			}
		}
	}
	if len(seen) < atLeast {
		t.Errorf("the portal crawl as %s reached only %v", email, seen)
	}
}
