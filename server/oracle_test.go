package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models/testdb"
)

// Issue 17, "Search reads the internal summary" and point 3: nothing a
// customer user can ask tells it more than what it can read. Each of
// these tests fails on main before the change.

// TestCustomerSearchReadsOnlyWhatItCanRead: on main, q matched the
// internal summary, so one request per character spelled it out.
func TestCustomerSearchReadsOnlyWhatItCanRead(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		count := func(email, q string) int {
			r := e.do("GET", "/api/v1/postmortems?q="+url.QueryEscape(q), email, nil)
			if r.Status != 200 {
				t.Fatalf("search %q: %d %s", q, r.Status, r.Body)
			}
			return len(r.json(t)["items"].([]any))
		}
		// Every fixture postmortem has the marker in its internal summary.
		if n := count(e.f.CustA.Email, testdb.Marker); n != 0 {
			t.Errorf("a customer's search matched %d postmortems on an internal field", n)
		}
		if n := count(e.f.CustA.Email, "zzint"); n != 0 {
			t.Errorf("a customer's search matched %d postmortems on part of an internal field", n)
		}
		// What it reads is searched: the title and every external field.
		for _, q := range []string{"Shared with A", "what happened", "requests failed", "configuration change", "adding a check"} {
			if n := count(e.f.CustA.Email, q); n == 0 {
				t.Errorf("a customer's search for %q, which it can read, found nothing", q)
			}
		}
		if n := count(e.f.SRE.Email, testdb.Marker); n == 0 {
			t.Errorf("staff search no longer reads the summary")
		}
	})
}

// TestCustomerFiltersAreNoOracle: on main, ?assignee= answered differently
// for a real and a made-up assignee of our items, and ?customer_id= of
// another customer listed the joint or shared postmortems naming both.
func TestCustomerFiltersAreNoOracle(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		cust := e.f.CustA.Email
		for _, v := range []string{e.f.SRE.Email, "nobody@provider.example", "ops@acme.example"} {
			r := e.do("GET", "/api/v1/action-items?assignee="+url.QueryEscape(v), cust, nil)
			if code, fields := r.apiError(t); r.Status != 400 || code != "validation_failed" || fields["assignee"] == nil {
				t.Errorf("customer filter by assignee %s: %d %s", v, r.Status, r.Body)
			}
		}
		if r := e.do("GET", "/api/v1/action-items?assignee="+url.QueryEscape(e.f.SRE.Email), e.f.SRE.Email, nil); r.Status != 200 || len(r.json(t)["items"].([]any)) == 0 {
			t.Errorf("staff filter by assignee: %d %s", r.Status, r.Body)
		}
		if r := e.do("GET", "/api/v1/action-items?sort=-created_at", cust, nil); r.Status != 400 {
			t.Errorf("customer sort by created_at, which it cannot read: %d %s", r.Status, r.Body)
		}
		// Another customer's objects answer as made-up ones.
		for _, p := range []string{"/api/v1/customers/%d", "/api/v1/customers/%d/slos", "/api/v1/customers/%d/reports/2026-03",
			"/api/v1/customers/%d/issued-reports"} {
			other, madeUp := e.do("GET", fmt.Sprintf(p, e.f.B.ID), cust, nil), e.do("GET", fmt.Sprintf(p, 999999), cust, nil)
			if other.Status != madeUp.Status || string(other.Body) != string(madeUp.Body) {
				t.Errorf("%s: another customer %d %s, a made-up one %d %s", p, other.Status, other.Body, madeUp.Status, madeUp.Body)
			}
		}
		for _, list := range []string{"/api/v1/postmortems", "/api/v1/action-items"} {
			other := e.do("GET", fmt.Sprintf("%s?customer_id=%d", list, e.f.B.ID), cust, nil)
			madeUp := e.do("GET", list+"?customer_id=999999", cust, nil)
			if other.Status != madeUp.Status || string(other.Body) != string(madeUp.Body) {
				t.Errorf("%s: another customer %d %s, a made-up one %d %s", list, other.Status, other.Body, madeUp.Status, madeUp.Body)
			}
			own := e.do("GET", fmt.Sprintf("%s?customer_id=%d", list, e.f.A.ID), cust, nil)
			if own.Status != 200 || len(own.json(t)["items"].([]any)) == 0 {
				t.Errorf("%s: filter by its own organisation: %d %s", list, own.Status, own.Body)
			}
			staff := e.do("GET", fmt.Sprintf("%s?customer_id=%d", list, e.f.B.ID), e.f.SRE.Email, nil)
			if len(staff.json(t)["items"].([]any)) == 0 {
				t.Errorf("%s: staff filter by customer finds nothing", list)
			}
		}
	})
}

// TestInvitingReportsNoAccountOutsideTheOrganisation: on main, inviting
// an address that had an account anywhere said so, revealing accounts of
// other organisations and of our staff.
func TestInvitingReportsNoAccountOutsideTheOrganisation(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		invite := func(email string) (int, string) {
			r := e.page("POST", "/portal/organisation/invitations", e.f.CustAdminA.Email, url.Values{"email": {email}})
			flash := ""
			for _, c := range strings.Split(strings.Join(r.Header.Values("Set-Cookie"), ";"), ";") {
				if v, ok := strings.CutPrefix(strings.TrimSpace(c), "amends_flash="); ok {
					flash, _ = url.QueryUnescape(v)
				}
			}
			return r.Status, strings.ReplaceAll(flash, email, "EMAIL")
		}
		newStatus, newFlash := invite("someone.new@example.org")
		for _, elsewhere := range []string{e.f.CustB.Email, e.f.SRE.Email} {
			if status, flash := invite(elsewhere); status != newStatus || flash != newFlash {
				t.Errorf("inviting %s: %d %q, a new address: %d %q", elsewhere, status, flash, newStatus, newFlash)
			}
		}
		// A colleague's account is the organisation's own business.
		if _, flash := invite(e.f.CustA.Email); !strings.Contains(flash, "already a member") {
			t.Errorf("inviting a colleague: %q", flash)
		}
	})
}
