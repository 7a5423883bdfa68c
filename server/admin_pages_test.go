package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

// auditFields lists "field=old>new" of the audit events of one object.
func auditFields(t *testing.T, e *env, entity string, id uint) []string {
	t.Helper()
	var events []models.AuditEvent
	if err := e.f.Store.DB().R.Where("entity_type = ? AND entity_id = ?", entity, id).Order("id").Find(&events).Error; err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, ev := range events {
		out = append(out, fmt.Sprintf("%s:%s=%s>%s by %s", ev.Action, ev.Field, ev.OldValue, ev.NewValue, ev.Actor))
	}
	return out
}

func hasEvent(events []string, want string) bool {
	for _, e := range events {
		if strings.Contains(e, want) {
			return true
		}
	}
	return false
}

// wantForm checks a refused form: the status, every bad field named next
// to its input, and the typed values kept.
func wantForm(t *testing.T, r response, status int, fields []string, kept []string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	body := string(r.Body)
	if n := strings.Count(body, `class="field-error"`); n < len(fields) {
		t.Errorf("%d field errors shown, want %d or more", n, len(fields))
	}
	for _, f := range fields {
		if !strings.Contains(body, " "+f+" ") {
			t.Errorf("the error summary does not name %s", f)
		}
	}
	for _, v := range kept {
		if !strings.Contains(body, v) {
			t.Errorf("the typed value %q is not kept", v)
		}
	}
}

func wantRedirect(t *testing.T, r response, to string) {
	t.Helper()
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), to) {
		t.Fatalf("answer %d to %q, want 303 to %s: %s", r.Status, r.Header.Get("Location"), to, r.Body)
	}
}

func TestCustomerForms(t *testing.T) { testdb.Run(t, testCustomerForms) }

func testCustomerForms(t *testing.T, db *database.DB) {
	e := newEnv(t, db)
	ctx := context.Background()
	bad := url.Values{"name": {""}, "slug": {"Not A Slug"}, "time_zone": {"Mars/Olympus"}, "contacts": {"ops@new.example\nnot-an-address"}}
	wantForm(t, e.page("POST", "/customers", e.f.SRE.Email, bad), http.StatusBadRequest,
		[]string{"name", "slug", "time_zone", "contacts"}, []string{"Not A Slug", "Mars/Olympus", "not-an-address"})
	taken := url.Values{"name": {"Acme again"}, "slug": {"acme"}, "time_zone": {"UTC"}}
	wantForm(t, e.page("POST", "/customers", e.f.SRE.Email, taken), http.StatusConflict, []string{"slug"}, []string{"Acme again"})

	good := url.Values{"name": {"Initech"}, "slug": {"initech"}, "time_zone": {"America/Chicago"}, "contacts": {"ops@initech.example, cto@initech.example"}}
	r := e.page("POST", "/customers", e.f.SRE.Email, good)
	wantRedirect(t, r, "/customers/")
	cu, err := e.f.Store.CustomerBySlug(ctx, "initech")
	if err != nil {
		t.Fatal(err)
	}
	if cu.TimeZone != "America/Chicago" || strings.Join(cu.Contacts, " ") != "ops@initech.example cto@initech.example" {
		t.Errorf("created %+v", cu)
	}
	if ev := auditFields(t, e, models.EntityCustomer, cu.ID); !hasEvent(ev, "created:slug=>initech by "+e.f.SRE.Email) {
		t.Errorf("creation not in the audit trail: %v", ev)
	}

	edit := fmt.Sprintf("/customers/%d", cu.ID)
	if r := e.page("GET", edit+"/edit", e.f.SRE.Email, nil); r.Status != 200 || !strings.Contains(string(r.Body), "cto@initech.example") {
		t.Fatalf("edit page: %d", r.Status)
	}
	wantForm(t, e.page("POST", edit, e.f.SRE.Email, url.Values{"name": {"Initech Ltd"}, "slug": {"initech"}, "time_zone": {"Nowhere/Else"}}),
		http.StatusBadRequest, []string{"time_zone"}, []string{"Initech Ltd", "Nowhere/Else"})
	wantRedirect(t, e.page("POST", edit, e.f.SRE.Email, url.Values{"name": {"Initech Ltd"}, "slug": {"initech"}, "time_zone": {"Europe/London"}}), edit)
	cu, _ = e.f.Store.CustomerBySlug(ctx, "initech")
	if cu.Name != "Initech Ltd" || cu.TimeZone != "Europe/London" || len(cu.Contacts) != 0 {
		t.Errorf("after the edit: %+v", cu)
	}
	ev := auditFields(t, e, models.EntityCustomer, cu.ID)
	if !hasEvent(ev, "updated:time_zone=America/Chicago>Europe/London") || !hasEvent(ev, "updated:name=Initech>Initech Ltd") {
		t.Errorf("the edit is not in the audit trail: %v", ev)
	}
}

func TestSLOForms(t *testing.T) { testdb.Run(t, testSLOForms) }

func testSLOForms(t *testing.T, db *database.DB) {
	e := newEnv(t, db)
	ctx := context.Background()
	base := fmt.Sprintf("/customers/%d/slos", e.f.A.ID)
	if r := e.page("GET", base, e.f.Viewer.Email, nil); r.Status != 200 || strings.Contains(string(r.Body), "Add SLO") {
		t.Errorf("a viewer reads the SLOs page (%d) without its forms", r.Status)
	}
	bad := url.Values{"name": {"api"}, "target": {"99.9"}, "window_days": {"0"}, "calendar_duration": {"1M"}, "calendar_time_zone": {"Mars/Base"}}
	wantForm(t, e.page("POST", base, e.f.SRE.Email, bad), http.StatusBadRequest,
		[]string{"target", "window_days", "calendar_time_zone"}, []string{"99.9", "Mars/Base"})
	typo := url.Values{"name": {"api"}, "target": {"0,999"}, "window_days": {"four"}}
	wantForm(t, e.page("POST", base, e.f.SRE.Email, typo), http.StatusBadRequest, []string{"target", "window_days"}, []string{"0,999", "four"})

	add := url.Values{"name": {"api-availability"}, "display_name": {"API availability"}, "target": {"0.999"}, "window_days": {"28"},
		"budgeting_method": {"Occurrences"}}
	wantRedirect(t, e.page("POST", base, e.f.SRE.Email, add), base)
	wantForm(t, e.page("POST", base, e.f.SRE.Email, add), http.StatusConflict, []string{"name"}, []string{"api-availability"})
	slos, err := e.f.Store.ListSLOs(ctx, e.f.SRE, e.f.A.ID)
	if err != nil || len(slos) != 1 {
		t.Fatalf("SLOs after adding one: %v %v", slos, err)
	}
	slo := slos[0]
	one := fmt.Sprintf("%s/%d", base, slo.ID)
	if r := e.page("GET", one+"/edit", e.f.SRE.Email, nil); r.Status != 200 || !strings.Contains(string(r.Body), `value="0.999"`) {
		t.Fatalf("edit page: %d", r.Status)
	}
	sli := models.SLIInput{GoodQuery: `good_total{customer="acme"}`, TotalQuery: `requests_total{customer="acme"}`}
	if _, err := e.f.Store.SetSLI(ctx, e.f.A.ID, slo.ID, sli); err != nil {
		t.Fatal(err)
	}
	monthly := url.Values{"name": {"api-availability"}, "display_name": {"API availability"}, "target": {"0.995"}, "window_days": {"30"},
		"budgeting_method": {"Occurrences"}, "calendar_duration": {"1M"}, "calendar_start": {"2026-01-01"}, "calendar_time_zone": {"Europe/Berlin"}}
	wantRedirect(t, e.page("POST", one, e.f.SRE.Email, monthly), base)
	got, err := e.f.Store.GetSLO(ctx, e.f.SRE, e.f.A.ID, slo.ID)
	if err != nil || got.Target != 0.995 || got.CalendarDuration != "1M" || got.CalendarTimeZone != "Europe/Berlin" {
		t.Fatalf("after the edit: %+v %v", got, err)
	}
	if got.SLIGoodQuery != sli.GoodQuery || got.SLITotalQuery != sli.TotalQuery {
		t.Errorf("the form's edit dropped the SLI: %+v", got)
	}
	// Another customer's SLO is not reachable through this one's path.
	if r := e.page("POST", fmt.Sprintf("/customers/%d/slos/%d/delete", e.f.B.ID, slo.ID), e.f.SRE.Email, nil); r.Status != http.StatusNotFound {
		t.Errorf("deleting through another customer's path: %d", r.Status)
	}
	// An SLO an incident counted against stays.
	if _, err := e.f.Store.CreateImpact(ctx, e.f.SRE, e.f.SharedA.ID, models.ImpactInput{SLOID: slo.ID, BadMinutes: 12}); err != nil {
		t.Fatal(err)
	}
	r := e.page("POST", one+"/delete", e.f.SRE.Email, nil)
	wantRedirect(t, r, base)
	if !strings.Contains(r.Header.Get("Set-Cookie"), "impact") {
		t.Errorf("refusing the delete does not say why: %s", r.Header.Get("Set-Cookie"))
	}
	if _, err := e.f.Store.GetSLO(ctx, e.f.SRE, e.f.A.ID, slo.ID); err != nil {
		t.Fatalf("an SLO with impacts was deleted: %v", err)
	}
	second := url.Values{"name": {"latency"}, "target": {"0.99"}, "window_days": {"7"}}
	wantRedirect(t, e.page("POST", base, e.f.SRE.Email, second), base)
	latency, err := e.f.Store.ListSLOs(ctx, e.f.SRE, e.f.A.ID)
	if err != nil || len(latency) != 2 {
		t.Fatalf("SLOs: %v %v", latency, err)
	}
	id := latency[1].ID
	wantRedirect(t, e.page("POST", fmt.Sprintf("%s/%d/delete", base, id), e.f.SRE.Email, nil), base)
	if _, err := e.f.Store.GetSLO(ctx, e.f.SRE, e.f.A.ID, id); err == nil {
		t.Errorf("the SLO without impacts was not deleted")
	}
	ev := auditFields(t, e, models.EntitySLO, slo.ID)
	if !hasEvent(ev, "created:target=>0.999") || !hasEvent(ev, "updated:target=0.999>0.995") {
		t.Errorf("SLO trail: %v", ev)
	}
	if ev := auditFields(t, e, models.EntitySLO, id); !hasEvent(ev, "deleted:name=latency>") {
		t.Errorf("deleted SLO trail: %v", ev)
	}
}

// TestAdminPagesRefuseOthers: staff without the permission get 403, a
// customer user 404 as if the page did not exist, and nothing changes.
func TestAdminPagesRefuseOthers(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	a := e.f.A.ID
	routes := []struct {
		method, path string
		managers     bool // open to whoever may manage customers, not only admins
	}{
		{"GET", "/customers/new", true},
		{"POST", "/customers", true},
		{"GET", fmt.Sprintf("/customers/%d/edit", a), true},
		{"POST", fmt.Sprintf("/customers/%d", a), true},
		{"POST", fmt.Sprintf("/customers/%d/slos", a), true},
		{"GET", "/admin/settings", false},
		{"POST", "/admin/settings/share-check", false},
		{"POST", "/admin/settings/reminders", false},
		{"POST", "/admin/settings/due-dates", false},
		{"POST", "/admin/invitations", false},
		{"GET", fmt.Sprintf("/admin/customers/%d/users", a), false},
		{"POST", fmt.Sprintf("/admin/customers/%d/invitations", a), false},
		{"POST", fmt.Sprintf("/admin/customers/%d/users/%d/admin", a, e.f.CustA.ID), false},
		{"POST", fmt.Sprintf("/admin/customers/%d/users/%d/disable", a, e.f.CustA.ID), false},
	}
	form := url.Values{"name": {"X"}, "slug": {"x"}, "time_zone": {"UTC"}, "email": {"x@x.example"}, "role": {"admin"},
		"customer_admin": {"true"}, "target": {"0.9"}, "window_days": {"7"}, "digest_day": {"friday"}}
	for _, r := range routes {
		who := map[string]int{e.f.Viewer.Email: 403, e.f.CustAdminA.Email: 404, e.f.CustA.Email: 404}
		if !r.managers {
			who[e.f.SRE.Email] = 403
		}
		for email, want := range who {
			if got := e.page(r.method, r.path, email, form); got.Status != want {
				t.Errorf("%s %s as %s: %d, want %d", r.method, r.path, email, got.Status, want)
			}
		}
	}
	if u, _ := e.f.Store.UserByID(context.Background(), nil, e.f.CustA.ID); u.Disabled() || u.CustomerAdmin {
		t.Errorf("a refused request changed the user: %+v", u)
	}
	if _, err := e.f.Store.CustomerBySlug(context.Background(), "x"); err == nil {
		t.Errorf("a refused request created a customer")
	}
}

func TestSettingsForms(t *testing.T) { testdb.Run(t, testSettingsForms) }

func testSettingsForms(t *testing.T, db *database.DB) {
	e := newEnv(t, db)
	ctx := context.Background()
	admin := e.f.Admin.Email
	if r := e.page("GET", "/admin/settings", admin, nil); r.Status != 200 || !strings.Contains(string(r.Body), `name="due_P0" value="14"`) {
		t.Fatalf("settings page: %d", r.Status)
	}
	badReminders := url.Values{"digest_day": {"someday"}, "heads_up_days": {"-1"}, "escalate_after_days": {"x"},
		"work_start_hour": {"18"}, "work_end_hour": {"9"}}
	wantForm(t, e.page("POST", "/admin/settings/reminders", admin, badReminders), http.StatusBadRequest,
		[]string{"heads_up_days", "escalate_after_days", "work_end_hour"}, []string{`value="-1"`, `value="x"`})
	good := url.Values{"digest_day": {"friday"}, "heads_up_days": {"5"}, "escalate_after_days": {"3"}, "work_start_hour": {"8"}, "work_end_hour": {"18"}}
	wantRedirect(t, e.page("POST", "/admin/settings/reminders", admin, good), "/admin/settings#reminders")
	r := e.page("GET", "/api/v1/settings/reminders", admin, nil)
	if got := r.json(t); got["digest_day"] != "friday" || got["heads_up_days"] != float64(5) || got["work_end_hour"] != float64(18) {
		t.Errorf("the saved policy reads %v", got)
	}

	wantForm(t, e.page("POST", "/admin/settings/due-dates", admin, url.Values{"due_P0": {"0"}, "due_P1": {"soon"}, "due_P2": {"60"}}),
		http.StatusBadRequest, []string{"P0", "P1"}, []string{`value="soon"`, `value="60"`})
	if days, _ := e.f.Store.DueDays(ctx); days["P2"] != 0 {
		t.Errorf("a refused form saved %v", days)
	}
	wantRedirect(t, e.page("POST", "/admin/settings/due-dates", admin, url.Values{"due_P0": {"7"}, "due_P3": {"90"}}), "/admin/settings#due-dates")
	if days, _ := e.f.Store.DueDays(ctx); len(days) != 2 || days["P0"] != 7 || days["P3"] != 90 {
		t.Errorf("due days saved as %v", days)
	}
	if models.DefaultDueDays["P0"] != 14 || len(models.DefaultDueDays) != 2 {
		t.Errorf("reading the setting changed the defaults: %v", models.DefaultDueDays)
	}

	share := url.Values{"internal_suffixes": {".corp.example\n.internal"}, "host_patterns": {"db-\\d+\n(unclosed"}, "vendors": {"Globex, Inc."}}
	wantForm(t, e.page("POST", "/admin/settings/share-check", admin, share), http.StatusBadRequest, []string{"host_patterns"}, []string{"(unclosed"})
	share["host_patterns"] = []string{`db-\d+`}
	wantRedirect(t, e.page("POST", "/admin/settings/share-check", admin, share), "/admin/settings#share-check")
	st, err := e.f.Store.ShareCheckSettings(ctx)
	if err != nil || strings.Join(st.InternalSuffixes, " ") != ".corp.example .internal" || len(st.Vendors) != 1 || st.Vendors[0] != "Globex, Inc." {
		t.Errorf("share settings saved as %+v %v", st, err)
	}
	ev := auditFields(t, e, models.EntitySetting, 0)
	for _, key := range []string{"reminders", "item_due_days", "share_check"} {
		if !hasEvent(ev, "updated:"+key+"=") {
			t.Errorf("saving %s is not in the audit trail: %v", key, ev)
		}
	}
}
