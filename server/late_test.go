package server_test

import (
	"strings"
	"testing"

	"github.com/amendsdev/amends/models/testdb"
)

// TestLateWriteUpsOnTheReviewPage: the fixture's items were written long
// after March, the month of its incidents. March's review lists the
// customer-visible ones apart, as written since the month ended; the
// internal-only one stays out of it, and only the staff page says that
// one more exists and why.
func TestLateWriteUpsOnTheReviewPage(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	f := e.f
	md := e.do("GET", "/api/v1/customers/"+id(f.A.ID)+"/reports/2026-03?format=md", f.SRE.Email, nil)
	body := string(md.Body)
	_, late, found := strings.Cut(body, "## Written since the month ended")
	if md.Status != 200 || !found || !strings.Contains(late, f.ProviderItemA.Title) {
		t.Fatalf("March's review lacks its late write-ups: %d\n%s", md.Status, body)
	}
	if strings.Contains(body, f.InternalItemA.Title) || strings.Contains(body, testdb.Marker) {
		t.Errorf("an internal-only item reached the customer's review")
	}
	page := e.page("GET", "/customers/"+id(f.A.ID)+"/reviews/2026-03", f.SRE.Email, nil)
	if page.Status != 200 || !strings.Contains(string(page.Body), "written since the month ended for its incidents are not in the customer") {
		t.Errorf("the staff page does not say some late items are left out: %d", page.Status)
	}
	if strings.Contains(string(page.Body), f.InternalItemA.Title) {
		t.Errorf("the hint names the internal item")
	}
}
