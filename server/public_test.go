package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

// publicWorld is the fixture plus a published public postmortem with a
// kept promise, an open one, an internal-only item, an item Acme owns, a
// customer-visible comment and a staff assignee, each of the hidden ones
// carrying the fixture's marker or a name the public must not read.
type publicWorld struct {
	*env
	pm                   *models.Postmortem
	kept, open, internal *models.ActionItem
}

const (
	publicTitle   = "Checkout errors for card payments"
	publicSummary = "For 52 minutes, some card payments failed at checkout."
	keptTitle     = "Test configuration changes on a canary first"
	openTitle     = "Alert on checkout error rates"
	acmeItemTitle = "Acme retries failed payments"
	commentText   = "Rolled out to the first region."
)

func newPublicWorld(t *testing.T, db *database.DB) *publicWorld {
	t.Helper()
	e := newEnv(t, db)
	s, ctx := e.f.Store, context.Background()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	end := start.Add(52 * time.Minute)
	pm, err := s.CreatePostmortem(ctx, e.f.SRE, models.PostmortemInput{Title: publicTitle, Visibility: models.VisibilityPublic,
		CustomerIDs: []uint{e.f.A.ID}, Severity: "SEV2", StartedAt: &start, ResolvedAt: &end,
		Summary: "summary " + testdb.Marker, RootCauses: "cause " + testdb.Marker, Timeline: "09:00 Sid paged " + testdb.Marker,
		ExternalSummary: publicSummary, ExternalImpact: "Customers saw an error and could retry.",
		ExternalCause: "A configuration change reached every server at once.", ExternalNextSteps: "We test such changes on a canary first."})
	if err != nil {
		t.Fatal(err)
	}
	w := &publicWorld{env: e, pm: pm}
	no := false
	item := func(in models.ItemInput) *models.ActionItem {
		in.Type, in.Priority = "prevent", "P1"
		it, err := s.CreateItem(ctx, e.f.SRE, pm.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		return it
	}
	w.kept = item(models.ItemInput{Title: keptTitle, Description: "Changes reach a small share of traffic first.", Owner: models.OwnerProvider,
		Assignee: "sre@provider.example"})
	w.open = item(models.ItemInput{Title: openTitle, Owner: models.OwnerProvider, Assignee: "Sid Sre"})
	w.internal = item(models.ItemInput{Title: "Internal-only " + testdb.Marker, Owner: models.OwnerProvider, CustomerVisible: &no})
	item(models.ItemInput{Title: acmeItemTitle, Owner: models.OwnerCustomer, CustomerID: &e.f.A.ID, Assignee: "ops@acme.example"})
	if _, err := s.AddComment(ctx, e.f.SRE, w.kept.ID, models.CommentInput{Body: commentText, CustomerVisible: true}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Publish(ctx, e.f.Admin, pm.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateItem(ctx, e.f.SRE, w.kept.ID, models.ItemPatch{Status: models.Some(models.StatusDone)}); err != nil {
		t.Fatal(err)
	}
	return w
}

// enable turns the public page on as the admin, through the API.
func (w *publicWorld) enable() {
	w.t.Helper()
	r := w.do("PUT", "/api/v1/settings/public", w.f.Admin.Email, map[string]any{"enabled": true, "title": "Incident history",
		"organisation_name": "Northwind"})
	if r.Status != 200 {
		w.t.Fatalf("enable the public page: %d %s", r.Status, r.Body)
	}
}

// statusPaths are every /status address: the list, the feed, and the
// page of every postmortem of the world and of one that does not exist.
func (w *publicWorld) statusPaths() []string {
	paths := []string{"/status", "/status/feed.atom", "/status/postmortems/987654", "/status/postmortems/x"}
	for _, pm := range []*models.Postmortem{w.pm, w.f.Internal, w.f.SharedDraftA, w.f.SharedA, w.f.JointA, w.f.SharedB, w.f.SharedAB} {
		paths = append(paths, fmt.Sprintf("/status/postmortems/%d", pm.ID))
	}
	return paths
}

func TestPublicPageOffAnswers404Everywhere(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		w := newPublicWorld(t, db)
		missing := w.do("GET", "/status/postmortems/987654", "", nil)
		if missing.Status != 404 {
			t.Fatalf("a missing postmortem answers %d", missing.Status)
		}
		check := func(state string) {
			for _, p := range w.statusPaths() {
				for _, who := range []string{"", w.f.Admin.Email} {
					r := w.do("GET", p, who, nil)
					if r.Status != 404 || string(r.Body) != string(missing.Body) {
						t.Errorf("%s: GET %s as %q answers %d %.200s; want the one 404", state, p, who, r.Status, r.Body)
					}
				}
			}
		}
		check("never turned on")
		w.enable()
		if r := w.do("GET", "/status", "", nil); r.Status != 200 {
			t.Fatalf("control: the page turned on answers %d", r.Status)
		}
		if r := w.do("PUT", "/api/v1/settings/public", w.f.Admin.Email, map[string]any{"enabled": false}); r.Status != 200 {
			t.Fatalf("turn off: %d %s", r.Status, r.Body)
		}
		check("turned off again")
	})
}

func TestPublicPagesShowTheExternalTextAndPromisesOnly(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		w := newPublicWorld(t, db)
		w.enable()
		pmPath := fmt.Sprintf("/status/postmortems/%d", w.pm.ID)
		// Nothing of these may reach the public: internal text, items
		// and comments, the customer, its item, our assignees, and every
		// other postmortem of the fixture.
		never := []string{testdb.Marker, "Acme", acmeItemTitle, commentText, "sre@provider.example", "Sid Sre", "ops@acme.example",
			"Shared with A", "Shared draft", "Joint with A", "Shared with B", "Internal incident", "Bravo"}
		want := map[string][]string{
			"/status": {publicTitle, "1 of 2 promises kept, 1 still open", "lasted 52 min", "Incident history", "Northwind",
				`<meta property="og:title" content="Incident history · Northwind">`},
			pmPath: {publicTitle, publicSummary, "We test such changes on a canary first.", keptTitle, "done on", openTitle,
				">open<", "1 of 2 promises kept", "published", "after resolution",
				`<meta property="og:title" content="` + publicTitle + ` · Northwind">`, `<meta property="og:type" content="article">`,
				`<meta property="og:url" content="http://localhost:8080` + pmPath + `">`, `<meta name="description" content="` + publicSummary + `">`,
				"<title>" + publicTitle + " · Northwind</title>"},
			"/status/feed.atom": {publicTitle, "Promise kept: " + keptTitle, pmPath + "#promise-"},
		}
		for path, texts := range want {
			for _, who := range []string{"", w.f.CustA.Email, w.f.Admin.Email} {
				r := w.do("GET", path, who, nil)
				if r.Status != 200 {
					t.Fatalf("GET %s as %q: %d %s", path, who, r.Status, r.Body)
				}
				if cc := r.Header.Get("Cache-Control"); cc != "public, max-age=60" {
					t.Errorf("GET %s: Cache-Control %q", path, cc)
				}
				body := string(r.Body)
				for _, s := range texts {
					if !strings.Contains(body, s) {
						t.Errorf("GET %s as %q lacks %q", path, who, s)
					}
				}
				for _, s := range never {
					if strings.Contains(body, s) {
						t.Errorf("GET %s as %q shows %q", path, who, s)
					}
				}
				if strings.Contains(body, "<script") {
					t.Errorf("GET %s carries a script", path)
				}
			}
		}
		var feed struct {
			Entries []struct {
				Title   string `xml:"title"`
				Updated string `xml:"updated"`
				Link    struct {
					Href string `xml:"href,attr"`
				} `xml:"link"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal(w.do("GET", "/status/feed.atom", "", nil).Body, &feed); err != nil {
			t.Fatalf("the feed is not XML: %v", err)
		}
		if len(feed.Entries) != 2 || feed.Entries[0].Title != "Promise kept: "+keptTitle || feed.Entries[1].Title != publicTitle ||
			feed.Entries[1].Link.Href != "http://localhost:8080"+pmPath {
			t.Errorf("feed entries, newest first: %+v", feed.Entries)
		}
		missing := w.do("GET", "/status/postmortems/987654", "", nil)
		for _, pm := range []*models.Postmortem{w.f.Internal, w.f.SharedDraftA, w.f.SharedA, w.f.JointA, w.f.SharedB, w.f.SharedAB} {
			r := w.do("GET", fmt.Sprintf("/status/postmortems/%d", pm.ID), "", nil)
			if r.Status != 404 || string(r.Body) != string(missing.Body) {
				t.Errorf("%s on the public page: %d %.200s; want the 404 of a missing one", pm.Title, r.Status, r.Body)
			}
		}
	})
}

// TestAPublishedSharedPostmortemNeverReachesThePublicPage: shared and
// published, even with a promise kept, it is not on the list, the feed
// or its own public page.
func TestAPublishedSharedPostmortemNeverReachesThePublicPage(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		w := newPublicWorld(t, db)
		w.enable()
		ctx := context.Background()
		if _, err := w.f.Store.UpdateItem(ctx, w.f.SRE, w.f.ProviderItemA.ID, models.ItemPatch{Status: models.Some(models.StatusDone)}); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/status", "/status/feed.atom"} {
			body := string(w.do("GET", p, "", nil).Body)
			if !strings.Contains(body, publicTitle) {
				t.Fatalf("control: %s lacks the public postmortem", p)
			}
			for _, s := range []string{"Shared with A", "Provider fix for A", "Internal incident", "Internal postmortem item"} {
				if strings.Contains(body, s) {
					t.Errorf("%s shows %q", p, s)
				}
			}
		}
	})
}

// TestEditsToAPublicPostmortemPassTheShareGate: once public and
// published, an edit that fails the share check is refused as for a
// shared one, and so is a customer's name anywhere the public reads,
// which a shared one may carry.
func TestEditsToAPublicPostmortemPassTheShareGate(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		w := newPublicWorld(t, db)
		sre := w.f.SRE.Email
		pm := fmt.Sprintf("/api/v1/postmortems/%d", w.pm.ID)
		scenarios := []struct {
			name, method, path string
			body               map[string]any
			kind               string
		}{
			{"external field", "PATCH", pm, map[string]any{"external_cause": leaky}, "internal_host"},
			{"a customer's name in the summary", "PATCH", pm, map[string]any{"external_summary": "Acme could not check out."}, "customer_name"},
			{"a customer's name in the title", "PATCH", pm, map[string]any{"title": "Checkout errors at Bravo"}, "customer_name"},
			{"a promise's title", "PATCH", fmt.Sprintf("/api/v1/action-items/%d", w.open.ID), map[string]any{"title": "Alert on lb-07.prod.corp"}, "internal_host"},
			{"an internal item made visible", "PATCH", fmt.Sprintf("/api/v1/action-items/%d", w.internal.ID), map[string]any{"customer_visible": true, "description": leaky}, "internal_host"},
			{"a new promise", "POST", pm + "/action-items", map[string]any{"title": "Tell Acme first", "type": "process", "priority": "P2"}, "customer_name"},
		}
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				keys := findingKeys(t, w.do(sc.method, sc.path, sre, sc.body))
				if sc.kind != "" && !strings.HasPrefix(strings.Join(keys, " "), sc.kind+":") && !strings.Contains(strings.Join(keys, " "), " "+sc.kind+":") {
					t.Errorf("findings %v, want one of kind %s", keys, sc.kind)
				}
				body := map[string]any{"share_overrides": overridesFor(keys, "reviewed with legal")}
				for k, v := range sc.body {
					body[k] = v
				}
				if r := w.do(sc.method, sc.path, sre, body); r.Status/100 != 2 {
					t.Errorf("with every finding overridden: %d %s", r.Status, r.Body)
				}
			})
		}
		// A shared postmortem may name its customer: the finding is the
		// public's alone.
		if r := w.do("PATCH", fmt.Sprintf("/api/v1/postmortems/%d", w.f.SharedA.ID), sre, map[string]any{"external_summary": "Acme could not check out."}); r.Status != 200 {
			t.Errorf("a shared postmortem naming its customer: %d %s", r.Status, r.Body)
		}
	})
}

// TestMakingAPostmortemPublicChecksWhatThePublicReads: a published shared
// postmortem that names its customer cannot turn public until that name
// is gone or overridden; publishing a public one names the same finding.
func TestMakingAPostmortemPublicChecksWhatThePublicReads(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		sre := e.f.SRE.Email
		shared := fmt.Sprintf("/api/v1/postmortems/%d", e.f.SharedA.ID)
		if r := e.do("PATCH", shared, sre, map[string]any{"external_impact": "Acme saw errors."}); r.Status != 200 {
			t.Fatalf("setup: %d %s", r.Status, r.Body)
		}
		keys := findingKeys(t, e.do("PATCH", shared, sre, map[string]any{"visibility": "public"}))
		if len(keys) != 1 || keys[0] != "customer_name:external_impact:Acme" {
			t.Errorf("making it public: findings %v, want the customer's name", keys)
		}
		draft := e.do("POST", "/api/v1/postmortems", sre, map[string]any{"title": "Login errors", "visibility": "public", "severity": "SEV3",
			"external_summary": "Bravo users could not sign in."})
		if draft.Status != 201 {
			t.Fatalf("a public draft without customers: %d %s", draft.Status, draft.Body)
		}
		id := uint(draft.json(t)["id"].(float64))
		check := e.do("POST", fmt.Sprintf("/api/v1/postmortems/%d/check", id), sre, nil)
		if !strings.Contains(string(check.Body), "customer_name:external_summary:Bravo") {
			t.Errorf("the check does not name the customer: %s", check.Body)
		}
		keys = findingKeys(t, e.do("POST", fmt.Sprintf("/api/v1/postmortems/%d/publish", id), sre, map[string]any{}))
		if !strings.Contains(strings.Join(keys, " "), "customer_name:external_summary:Bravo") {
			t.Errorf("publishing: findings %v, want the customer's name", keys)
		}
	})
}

func TestPublicSettingsAPI(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		got := e.do("GET", "/api/v1/settings/public", e.f.Viewer.Email, nil)
		if got.Status != 200 || got.json(t)["enabled"] != false || got.json(t)["title"] != models.DefaultPublicTitle {
			t.Errorf("defaults: %d %s", got.Status, got.Body)
		}
		scenarios := []struct {
			name, who string
			body      any
			status    int
			fields    []string
		}{
			{"viewer", e.f.Viewer.Email, map[string]any{"enabled": true}, 403, nil},
			{"customer", e.f.CustAdminA.Email, map[string]any{"enabled": true}, 404, nil},
			{"anonymous", "", map[string]any{"enabled": true}, 401, nil},
			{"on without a name", e.f.Admin.Email, map[string]any{"enabled": true}, 400, []string{"organisation_name"}},
			{"bad fields", e.f.Admin.Email, map[string]any{"enabled": "yes", "title": "", "colour": "red"}, 400, []string{"enabled", "colour"}},
			{"a person's name", e.f.Admin.Email, map[string]any{"enabled": true, "title": "Ada Admin's incidents", "organisation_name": "Northwind"}, 400, []string{"title"}},
			{"a customer's name", e.f.Admin.Email, map[string]any{"enabled": true, "organisation_name": "Northwind", "description": "What Acme and others saw."}, 400, []string{"description"}},
			{"on", e.f.Admin.Email, map[string]any{"enabled": true, "title": "Incidents", "organisation_name": "Northwind"}, 200, nil},
		}
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				r := e.do("PUT", "/api/v1/settings/public", sc.who, sc.body)
				if r.Status != sc.status {
					t.Fatalf("%d %s", r.Status, r.Body)
				}
				if sc.status != 400 {
					return
				}
				_, fields := r.apiError(t)
				for _, f := range sc.fields {
					if fields[f] == nil {
						t.Errorf("field %s not named in %s", f, r.Body)
					}
				}
			})
		}
		got = e.do("GET", "/api/v1/settings/public", e.f.Admin.Email, nil)
		if m := got.json(t); m["enabled"] != true || m["title"] != "Incidents" || m["organisation_name"] != "Northwind" {
			t.Errorf("after saving: %s", got.Body)
		}
	})
}

// TestPublicPagesShowFollowUpsBothWays: a later public postmortem that
// follows up on an earlier promise links back to it, and the earlier one
// links forward; a later shared one is named on neither.
func TestPublicPagesShowFollowUpsBothWays(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		w := newPublicWorld(t, db)
		w.enable()
		s, ctx := w.f.Store, context.Background()
		later := func(title, vis string) *models.Postmortem {
			start := time.Date(2026, 4, 6, 9, 0, 0, 0, time.UTC)
			end := start.Add(20 * time.Minute)
			pm, err := s.CreatePostmortem(ctx, w.f.SRE, models.PostmortemInput{Title: title, Visibility: vis, CustomerIDs: []uint{w.f.A.ID},
				Severity: "SEV3", StartedAt: &start, ResolvedAt: &end, ExternalSummary: "Checkout errors again, shorter this time."})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.AddFollowUp(ctx, w.f.SRE, pm.ID, w.open.ID); err != nil {
				t.Fatal(err)
			}
			if pm, _, err = s.Publish(ctx, w.f.Admin, pm.ID, nil); err != nil {
				t.Fatal(err)
			}
			return pm
		}
		public := later("Checkout errors, again", models.VisibilityPublic)
		later("Shared follow-up title", models.VisibilityShared)
		earlier := string(w.do("GET", fmt.Sprintf("/status/postmortems/%d", w.pm.ID), "", nil).Body)
		if !strings.Contains(earlier, fmt.Sprintf(`Followed up in <a href="/status/postmortems/%d">Checkout errors, again</a>`, public.ID)) {
			t.Errorf("the earlier page does not link the later one:\n%s", earlier)
		}
		if strings.Contains(earlier, "Shared follow-up title") {
			t.Error("the earlier page names a shared postmortem")
		}
		back := string(w.do("GET", fmt.Sprintf("/status/postmortems/%d", public.ID), "", nil).Body)
		if !strings.Contains(back, fmt.Sprintf(`promised in <a href="/status/postmortems/%d#promise-%d">%s</a>`, w.pm.ID, w.open.ID, publicTitle)) {
			t.Errorf("the later page does not link back:\n%s", back)
		}
	})
}

// TestStaffChooseAndSetUpPublic: the editor offers public beside shared
// with the warning that anyone reads it, and saves one naming no
// customer; the admin page turns the public page on.
func TestStaffChooseAndSetUpPublic(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		sre, admin := e.f.SRE.Email, e.f.Admin.Email
		form := e.page("GET", "/postmortems/new", sre, nil)
		for _, want := range []string{`value="public"`, ">Public</option>", ">Shared</option>", "Public is visible to anyone on the internet."} {
			if !strings.Contains(string(form.Body), want) {
				t.Errorf("the editor lacks %q", want)
			}
		}
		saved := e.page("POST", "/postmortems", sre, map[string][]string{"title": {"Sign-in errors"}, "severity": {"SEV2"},
			"visibility": {"public"}, "status": {"draft"}, "external_summary": {"Sign-in failed for some people."}})
		if saved.Status != 303 {
			t.Fatalf("saving a public postmortem without customers: %d %s", saved.Status, saved.Body)
		}
		page := e.page("GET", saved.Header.Get("Location"), sre, nil)
		if !strings.Contains(string(page.Body), "anyone on the internet reads its customer-facing part") {
			t.Errorf("the postmortem page does not warn that it is public:\n%s", page.Body)
		}

		refused := e.page("POST", "/admin/public", admin, map[string][]string{"enabled": {"on"}, "title": {"Incidents"}})
		if refused.Status != 400 || !strings.Contains(string(refused.Body), "organisation_name is required") {
			t.Errorf("turning it on without a name: %d %s", refused.Status, refused.Body)
		}
		if r := e.page("POST", "/admin/public", admin, map[string][]string{"enabled": {"on"}, "title": {"Incidents"},
			"organisation_name": {"Northwind"}}); r.Status != 303 {
			t.Fatalf("turning it on: %d %s", r.Status, r.Body)
		}
		if r := e.do("GET", "/status", "", nil); r.Status != 200 || !strings.Contains(string(r.Body), "Incidents · Northwind") {
			t.Errorf("the page once on: %d %s", r.Status, r.Body)
		}
		if settings := e.page("GET", "/admin/public", admin, nil); !strings.Contains(string(settings.Body), `name="enabled" checked`) {
			t.Errorf("the admin page does not show the page on:\n%s", settings.Body)
		}
	})
}
