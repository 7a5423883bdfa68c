package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/notify"
	"github.com/amendsdev/amends/reports"
	"github.com/amendsdev/amends/reports/reporttest"
)

var reviewFormats = []string{"md", "html", "pdf", "csv", "json"}

// staffAssigned gives the fixture's current month items assigned to our
// people by address and by name, on our side and on the customer's, and
// returns what the customer's version must never hold.
func staffAssigned(t *testing.T, f *testdb.Fixture) []string {
	t.Helper()
	ctx := context.Background()
	for _, in := range []models.ItemInput{
		{Title: "Tune the retry budget", Owner: models.OwnerProvider, Assignee: f.SRE.Name},
		{Title: "Confirm the client timeouts", Owner: models.OwnerCustomer, CustomerID: &f.A.ID, Assignee: f.Admin.Email},
	} {
		in.Type, in.Priority = "repair", "P0"
		if _, err := f.Store.CreateItem(ctx, f.SRE, f.SharedA.ID, in); err != nil {
			t.Fatal(err)
		}
	}
	// ProviderItemA is assigned to sre@provider.example.
	return []string{f.SRE.Email, f.SRE.Name, f.Admin.Email}
}

// reviewText is what a reader of a rendered review sees: PDF streams are
// inflated to be searched.
func reviewText(t *testing.T, what string, r response) string {
	t.Helper()
	if r.Status != 200 {
		t.Fatalf("%s: %d %s", what, r.Status, r.Body)
	}
	if !strings.HasPrefix(string(r.Body), "%PDF-") {
		return string(r.Body)
	}
	text, err := reporttest.PDFText(r.Body)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return text
}

// checkCustomerVersion fails on any of our people or the internal mark, and
// wants the team in their place and the customer's own assignee kept.
func checkCustomerVersion(t *testing.T, what, text, team string, staff []string) {
	t.Helper()
	for _, s := range append(staff, reports.InternalMarker, `"audience": "internal"`) {
		if strings.Contains(text, s) {
			t.Errorf("%s: the customer's version holds %q", what, s)
		}
	}
	for _, s := range []string{team, "ops@acme.example"} {
		if !strings.Contains(text, s) {
			t.Errorf("%s: the customer's version lacks %q", what, s)
		}
	}
}

func checkInternalVersion(t *testing.T, what, format, text string, staff []string) {
	t.Helper()
	mark := reports.InternalMarker
	if format == "json" {
		mark = `"audience": "internal"`
	}
	for _, s := range append(staff, mark) {
		if !strings.Contains(text, s) {
			t.Errorf("%s: the internal version lacks %q", what, s)
		}
	}
}

// The review staff send by hand is what the customer sees: through the API
// and the staff preview, in every format, our people appear as the team;
// the internal version exists only by name, for staff, and says so.
func TestReviewStaffSendIsTheCustomers(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		f := e.f
		staff := staffAssigned(t, f)
		berlin, _ := time.LoadLocation(f.A.TimeZone)
		m := reports.MonthOf(f.Store.Now(), berlin)
		base := "/api/v1/customers/" + id(f.A.ID) + "/reports/" + m.String()
		for _, email := range []string{f.Admin.Email, f.SRE.Email, f.Viewer.Email} {
			for _, format := range reviewFormats {
				for _, q := range []string{"", "&audience=customer"} {
					what := "API " + format + q + " as " + email
					checkCustomerVersion(t, what, reviewText(t, what, e.do("GET", base+"?format="+format+q, email, nil)), models.DefaultTeamName, staff)
				}
				what := "API internal " + format + " as " + email
				checkInternalVersion(t, what, format, reviewText(t, what, e.do("GET", base+"?format="+format+"&audience=internal", email, nil)), staff)
			}
		}
		for _, email := range []string{f.CustA.Email, f.CustAdminA.Email, f.CustB.Email} {
			if r := e.do("GET", base+"?format=md&audience=internal", email, nil); r.Status != 404 {
				t.Errorf("internal review as customer %s: %d, want 404", email, r.Status)
			}
		}
		bad := e.do("GET", base+"?format=docx&audience=staff", f.SRE.Email, nil)
		if code, fields := bad.apiError(t); bad.Status != 400 || code != "validation_failed" || fields["audience"] == nil || fields["format"] == nil {
			t.Errorf("bad format and audience: %d %s", bad.Status, bad.Body)
		}

		// The preview shows, and links to, what the customer gets.
		page := "/customers/" + id(f.A.ID) + "/reviews/" + m.String()
		for _, email := range []string{f.SRE.Email, f.Viewer.Email} {
			for _, fetched := range previewLinks(t, e, page, email, 5) {
				checkCustomerVersion(t, "preview "+fetched.link, reviewText(t, fetched.link, fetched.r), models.DefaultTeamName, staff)
			}
			internal := e.page("GET", page+"?audience=internal", email, nil)
			if !strings.Contains(string(internal.Body), reports.InternalMarker) {
				t.Errorf("the internal preview does not say it is internal")
			}
			for _, fetched := range previewLinks(t, e, page+"?audience=internal", email, 5) {
				if !strings.Contains(fetched.link, "audience=internal") {
					t.Errorf("the internal preview links to %s", fetched.link)
				}
				checkInternalVersion(t, "internal preview "+fetched.link, fetched.format, reviewText(t, fetched.link, fetched.r), staff)
			}
		}
		if r := e.page("GET", page+"?audience=internal", f.CustA.Email, nil); r.Status != 404 {
			t.Errorf("internal preview as a customer: %d, want 404", r.Status)
		}

		// An admin names the team; every version for the customer follows.
		if r := e.do("PUT", "/api/v1/settings/provider", f.SRE.Email, map[string]any{"team_name": "Ops"}); r.Status != 403 {
			t.Errorf("an SRE naming the team: %d, want 403", r.Status)
		}
		if r := e.do("PUT", "/api/v1/settings/provider", f.Admin.Email, map[string]any{"team_name": f.SRE.Email}); r.Status != 400 {
			t.Errorf("a staff address as the team name: %d, want 400", r.Status)
		}
		if r := e.do("PUT", "/api/v1/settings/provider", f.Admin.Email, map[string]any{"team_name": "Northwind SRE"}); r.Status != 200 {
			t.Fatalf("naming the team: %d %s", r.Status, r.Body)
		}
		if r := e.do("GET", "/api/v1/settings/provider", f.Viewer.Email, nil); !strings.Contains(string(r.Body), `"team_name":"Northwind SRE"`) {
			t.Errorf("settings read back: %d %s", r.Status, r.Body)
		}
		for _, format := range reviewFormats {
			what := "API " + format + " with a named team"
			checkCustomerVersion(t, what, reviewText(t, what, e.do("GET", base+"?format="+format, f.SRE.Email, nil)), "Northwind SRE", staff)
		}
	})
}

type fetchedLink struct {
	link, format string
	r            response
}

var previewLink = regexp.MustCompile(`(?:href|src)="(/api/v1/customers/\d+/reports/[^"]+)"`)

// previewLinks opens the staff preview and fetches, with the same session,
// every rendering it links to or frames, which must cover want formats.
func previewLinks(t *testing.T, e *env, page, email string, want int) []fetchedLink {
	t.Helper()
	p := e.page("GET", page, email, nil)
	if p.Status != 200 {
		t.Fatalf("preview %s as %s: %d", page, email, p.Status)
	}
	formats := map[string]bool{}
	var out []fetchedLink
	for _, m := range previewLink.FindAllStringSubmatch(string(p.Body), -1) {
		link := strings.ReplaceAll(m[1], "&amp;", "&")
		format := regexp.MustCompile(`format=(\w+)`).FindStringSubmatch(link)
		if format == nil {
			t.Fatalf("preview link without a format: %s", link)
		}
		formats[format[1]] = true
		out = append(out, fetchedLink{link, format[1], e.page("GET", link, email, nil)})
	}
	if len(formats) != want {
		t.Fatalf("preview %s links to %d formats (%v), want %d", page, len(formats), formats, want)
	}
	return out
}

// Drafts, issued reviews and their emails are the customer's version; a
// stored review has no internal version, and customers read the team as
// issued_by.
func TestStoredReviewsAreTheCustomers(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		f := e.f
		ctx := context.Background()
		staff := staffAssigned(t, f)
		berlin, _ := time.LoadLocation(f.A.TimeZone)
		m := reports.MonthOf(f.Store.Now(), berlin)
		_, end := m.Bounds(berlin)
		f.Store.SetClock(func() time.Time { return end.Add(2 * time.Hour) })

		if _, err := reports.PrepareDrafts(ctx, f.Store); err != nil {
			t.Fatal(err)
		}
		drafts, err := f.Store.ListReviewDrafts(ctx, f.SRE, m.String())
		if err != nil || len(drafts) == 0 {
			t.Fatalf("drafts of %s: %v %v", m, drafts, err)
		}
		var draftA uint
		for _, d := range drafts {
			if d.CustomerID == f.A.ID {
				draftA = d.ID
			}
		}
		got := e.do("POST", "/api/v1/customers/"+id(f.A.ID)+"/reports/"+m.String()+"/issue", f.SRE.Email, nil)
		if got.Status != 201 || !strings.Contains(string(got.Body), f.SRE.Email) {
			t.Fatalf("issue: %d %s", got.Status, got.Body)
		}
		issuedID := id(uint(got.json(t)["id"].(float64)))
		for _, format := range reviewFormats {
			what := "draft " + format
			checkCustomerVersion(t, what, reviewText(t, what, e.do("GET", "/api/v1/review-drafts/"+id(draftA)+"?format="+format, f.SRE.Email, nil)), models.DefaultTeamName, staff)
			for _, email := range []string{f.SRE.Email, f.CustA.Email} {
				what := "issued " + format + " as " + email
				checkCustomerVersion(t, what, reviewText(t, what, e.do("GET", "/api/v1/issued-reports/"+issuedID+"?format="+format, email, nil)), models.DefaultTeamName, staff)
			}
		}
		for path, want := range map[string]int{"/api/v1/review-drafts/" + id(draftA): 400, "/api/v1/issued-reports/" + issuedID: 400} {
			r := e.do("GET", path+"?format=md&audience=internal", f.SRE.Email, nil)
			if _, fields := r.apiError(t); r.Status != want || fields["audience"] == nil {
				t.Errorf("%s internal as staff: %d %s", path, r.Status, r.Body)
			}
		}
		if r := e.do("GET", "/api/v1/issued-reports/"+issuedID+"?format=md&audience=internal", f.CustA.Email, nil); r.Status != 404 {
			t.Errorf("issued review internal as a customer: %d, want 404", r.Status)
		}
		list := e.do("GET", "/api/v1/customers/"+id(f.A.ID)+"/issued-reports", f.CustA.Email, nil)
		if body := string(list.Body); list.Status != 200 || !strings.Contains(body, `"issued_by":"`+models.DefaultTeamName+`"`) || strings.Contains(body, f.SRE.Email) {
			t.Errorf("issued reviews as the customer: %d %s", list.Status, body)
		}
		if staffList := e.do("GET", "/api/v1/customers/"+id(f.A.ID)+"/issued-reports", f.SRE.Email, nil); !strings.Contains(string(staffList.Body), f.SRE.Email) {
			t.Errorf("staff do not see who issued it: %s", staffList.Body)
		}
		if r := e.do("POST", "/api/v1/issued-reports/"+issuedID+"/email", f.SRE.Email, nil); r.Status != 202 {
			t.Fatalf("email: %d %s", r.Status, r.Body)
		}
		out := notify.NewOutbox(f.Store)
		msgs, err := out.List(ctx, "", 50)
		if err != nil {
			t.Fatal(err)
		}
		mailed := 0
		for _, msg := range msgs {
			if msg.Kind != "review" {
				continue
			}
			full, err := out.Get(ctx, msg.ID)
			if err != nil {
				t.Fatal(err)
			}
			mailed++
			checkCustomerVersion(t, "email to "+full.Recipient, full.Subject+full.TextBody+full.HTMLBody, models.DefaultTeamName, staff)
		}
		if mailed == 0 {
			t.Errorf("no review email queued")
		}
	})
}

// An admin names the team on a page; a refused name comes back as typed.
func TestProviderSettingsPage(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	f := e.f
	if p := e.page("GET", "/admin/provider", f.Admin.Email, nil); p.Status != 200 || !strings.Contains(string(p.Body), `value="`+models.DefaultTeamName+`"`) {
		t.Fatalf("settings page: %d", p.Status)
	}
	bad := e.page("POST", "/admin/provider", f.Admin.Email, url.Values{"team_name": {f.SRE.Name}})
	if bad.Status != 400 || !strings.Contains(string(bad.Body), `value="`+f.SRE.Name+`"`) || !strings.Contains(string(bad.Body), "names one of our people") {
		t.Errorf("a staff name as the team: %d", bad.Status)
	}
	if ok := e.page("POST", "/admin/provider", f.Admin.Email, url.Values{"team_name": {"Northwind SRE"}}); ok.Status != 303 {
		t.Fatalf("save: %d %s", ok.Status, ok.Body)
	}
	if st, err := f.Store.LoadProviderSettings(context.Background()); err != nil || st.TeamName != "Northwind SRE" {
		t.Errorf("saved %+v, %v", st, err)
	}
}
