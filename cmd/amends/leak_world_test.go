package main

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/reports"
	"github.com/amendsdev/amends/server"
	"github.com/amendsdev/amends/sli"
	"github.com/amendsdev/amends/subscribe"
)

// leakPassword is every user's password in the leak test.
const leakPassword = "a long enough password"

// leakWorld is a provider with two customers, Acme (the reader) and a
// second one, and every kind of thing Acme must never read, each carrying
// its own marker.
type leakWorld struct {
	t      *testing.T
	db     *database.DB
	store  *models.Store
	srv    *server.Server
	base   string
	clock  atomic.Int64 // the store's clock, UnixNano
	scan   *leakScan
	months []reports.Month // M and M+1 are over; M+2 is the month being read in

	acme, other   *models.Customer
	lead, issuer  *leakClient // staff writing and issuing
	alice, arno   *leakClient // Acme's member and customer admin
	olga          *leakClient // the other customer's user
	pm            map[string]uint
	item          map[string]uint
	impact        map[string]uint // by the key of its postmortem
	otherHook     uint            // the other customer's webhook
	issued        []uint          // every issued review, Acme's and the other's
	acmeIssued    []uint
	hookMu        sync.Mutex
	hookBodies    [][]byte
	hook          *httptest.Server
	job           *subscribe.Job
	lastRun       time.Time
	customerWrite map[string][]byte // what Acme's users got back while writing
}

// day is a moment of month M+mo of the test, in UTC.
func (w *leakWorld) day(mo, d, hour int) time.Time {
	from, _ := w.months[0].Add(mo).Bounds(time.UTC)
	return from.AddDate(0, 0, d-1).Add(time.Duration(hour) * time.Hour)
}

// at moves the store's clock: every change is dated by it. Once Acme
// subscribed, the subscriptions job runs on the way, as serve would run
// it: just after every midnight (the daily digests) and at t, so that it
// reads each change with the world as it stood then.
func (w *leakWorld) at(t time.Time) {
	if w.job != nil {
		y, m, d := w.lastRun.Date()
		for day := time.Date(y, m, d+1, 0, 5, 0, 0, time.UTC); day.Before(t); day = day.AddDate(0, 0, 1) {
			w.runJob(day)
		}
		if t.After(w.lastRun) {
			w.runJob(t)
		}
	}
	w.clock.Store(t.UnixNano())
}

func (w *leakWorld) now() time.Time { return time.Unix(0, w.clock.Load()).UTC() }

func newLeakWorld(t *testing.T, db *database.DB) *leakWorld {
	w := &leakWorld{t: t, db: db, store: models.NewStore(db), scan: newLeakScan(),
		pm: map[string]uint{}, item: map[string]uint{}, impact: map[string]uint{}, customerWrite: map[string][]byte{}}
	// M is three months back from the wall clock, so that the command
	// line, which reads the wall clock, sees M and M+1 as over too.
	m := reports.MonthOf(time.Now(), time.UTC).Add(-3)
	w.months = []reports.Month{m, m.Add(1), m.Add(2)}
	w.at(w.day(0, 1, 8))
	w.store.SetClock(w.now)
	testdb.AllowLoopback(t, w.store)
	// The SLI data source does not answer: what the reviews say then, and
	// the errors of the data source, must not reach a customer either.
	down, err := sli.New(sli.Config{URL: "http://127.0.0.1:1", Timeout: time.Second}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Config{BaseURL: "https://amends.example", SLI: down}, w.store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	w.srv = srv
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	w.base = ts.URL
	w.hook = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.hookMu.Lock()
		w.hookBodies = append(w.hookBodies, body)
		w.hookMu.Unlock()
	}))
	t.Cleanup(w.hook.Close)
	return w
}

// user adds a user with a token and returns its client.
func (w *leakWorld) user(email, name, role, slug string, custAdmin bool) *leakClient {
	w.t.Helper()
	ctx := context.Background()
	u, err := w.store.CreateUser(ctx, models.UserInput{Email: email, Name: name, Role: role, CustomerSlug: slug,
		CustomerAdmin: custAdmin, Password: leakPassword})
	if err != nil {
		w.t.Fatalf("add user %s: %v", email, err)
	}
	token, err := w.store.CreateToken(ctx, u.ID, "leak")
	if err != nil {
		w.t.Fatal(err)
	}
	return newLeakClient(w.t, w.base, email, token)
}

// acmeClient is a client of an Acme user whose every answer is output.
func (w *leakWorld) acmeClient(c *leakClient) *leakClient {
	c.seen = func(output string, body []byte) { w.customerWrite[output] = body }
	return c
}

// build makes the world, month by month.
func (w *leakWorld) build() {
	w.people()
	w.otherCustomersPostmortems()
	w.internalPostmortem()
	w.sharedPostmortem()
	w.unpublishedPostmortem()
	w.jointPostmortem()
	w.sharedWithBoth()
	w.overriddenPostmortem()
	w.sharedLater()
	w.afterPublishing()
	w.publicPostmortem()
	w.nextMonth()
	w.issueReviews()
}

func (w *leakWorld) people() {
	s, ctx := w.scan, context.Background()
	var err error
	w.acme, err = w.store.CreateCustomer(ctx, models.CustomerInput{Name: "Acme", Slug: "acme", TimeZone: "Europe/Berlin",
		Contacts: []string{"ops@acme.example"}})
	if err != nil {
		w.t.Fatal(err)
	}
	w.other, err = w.store.CreateCustomer(ctx, models.CustomerInput{Name: s.mark("301", "the other customer's name") + " Industries",
		Slug: s.literal("zz-other-lkm", "the other customer's slug"), TimeZone: "UTC",
		Contacts: []string{"ops@" + s.mark("302", "the other customer's contact domain") + ".example"}})
	if err != nil {
		w.t.Fatal(err)
	}
	w.lead = w.user(s.mark("201", "the SRE lead's email")+"@provider.example", "Ivo "+s.mark("202", "the SRE lead's name"), models.RoleAdmin, "", false)
	w.issuer = w.user(s.mark("211", "the email of the staff who issues reviews")+"@provider.example",
		"Rita "+s.mark("212", "the name of the staff who issues reviews"), models.RoleSRE, "", false)
	w.user(s.mark("203", "a staff assignee's email")+"@provider.example", "Uma "+s.mark("204", "a staff assignee's name"), models.RoleSRE, "", false)
	w.alice = w.acmeClient(w.user("alice@acme.example", "Alice Ames", models.RoleCustomer, "acme", false))
	w.arno = w.acmeClient(w.user("arno@acme.example", "Arno Ames", models.RoleCustomer, "acme", true))
	// Accounts without markers, for the invitation oracle: what Acme types
	// is Acme's to read back.
	w.user("casey@other.example", "Casey Otter", models.RoleCustomer, "zz-other-lkm", false)
	w.user("sam@provider.example", "Sam Staff", models.RoleViewer, "", false)
	w.olga = w.user(s.mark("303", "the other customer's user's email")+"@other.example", "Olga "+s.mark("304", "the other customer's user's name"),
		models.RoleCustomer, "zz-other-lkm", true)
	// The other customer's webhook, which Acme's admin must not be able to
	// tell from a missing one.
	w.otherHook = w.olga.must(201, "POST", "/api/v1/webhooks", map[string]any{"url": "https://93.184.215.14/hooks/" + s.mark("305", "the other customer's webhook URL")}, "").id(w.t)

	// Acme's SLO has an SLI whose queries are internal: a customer reads
	// its figures, never the queries (the data source is down here, so
	// every review also says its measured figures are missing).
	w.lead.must(201, "POST", fmt.Sprintf("/api/v1/customers/%d/slos", w.acme.ID),
		map[string]any{"name": "checkout", "target": 0.999, "window_days": 30, "sli": map[string]any{
			"bad_query":   `http_errors_total{customer="{{ .Customer }}",team="` + s.mark("306", "an SLI's bad query") + `"}`,
			"total_query": `http_requests_total{customer="{{ .Customer }}",team="` + s.mark("307", "an SLI's total query") + `"}`}}, "")
	w.lead.must(201, "POST", fmt.Sprintf("/api/v1/customers/%d/slos", w.other.ID),
		map[string]any{"name": s.mark("185", "the other customer's SLO name"), "target": 0.99, "window_days": 30}, "")

	// Subscriptions from the start: the job reads the whole trail.
	w.alice.login(leakPassword)
	w.arno.login(leakPassword)
	w.alice.post("/portal/subscriptions", "/portal/subscriptions/email", url.Values{"mode": {"instant"}})
	w.arno.post("/portal/subscriptions", "/portal/subscriptions/email", url.Values{"mode": {"daily"}})
	if a := w.arno.post("/portal/subscriptions", "/portal/subscriptions/webhooks", url.Values{"url": {w.hook.URL + "/amends"}}); a.status != 200 {
		w.t.Fatalf("create webhook: %d %s", a.status, a.body)
	}
	w.job = subscribe.NewJob(w.store, "https://amends.example")
	w.job.Client = subscribe.NewClient(w.store.Egress())
	w.lastRun = w.now()
}

// sloID finds a customer's SLO.
func (w *leakWorld) sloID(c *models.Customer) uint {
	w.t.Helper()
	list := w.lead.must(200, "GET", fmt.Sprintf("/api/v1/customers/%d/slos", c.ID), nil, "").json(w.t)["items"].([]any)
	return uint(list[0].(map[string]any)["id"].(float64))
}

// postmortem creates one as the lead; fields are the API's.
func (w *leakWorld) postmortem(key string, fields map[string]any) uint {
	w.t.Helper()
	id := w.lead.must(201, "POST", "/api/v1/postmortems", fields, "").id(w.t)
	w.pm[key] = id
	return id
}

// item creates an item as the lead.
func (w *leakWorld) newItem(key string, pm uint, fields map[string]any) uint {
	w.t.Helper()
	id := w.lead.must(201, "POST", fmt.Sprintf("/api/v1/postmortems/%d/action-items", pm), fields, w.overrideReason()).id(w.t)
	w.item[key] = id
	return id
}

func (w *leakWorld) patchPM(pm uint, fields map[string]any) {
	w.t.Helper()
	w.lead.must(200, "PATCH", fmt.Sprintf("/api/v1/postmortems/%d", pm), fields, w.overrideReason())
}

func (w *leakWorld) patchItem(by *leakClient, it uint, fields map[string]any) {
	w.t.Helper()
	by.must(200, "PATCH", fmt.Sprintf("/api/v1/action-items/%d", it), fields, w.overrideReason())
}

func (w *leakWorld) comment(by *leakClient, it uint, body string, visible bool) {
	w.t.Helper()
	by.must(201, "POST", fmt.Sprintf("/api/v1/action-items/%d/comments", it), map[string]any{"body": body, "customer_visible": visible}, w.overrideReason())
}

// overrideReason is the reason given whenever the share check is
// overridden; an internal note, so a marker.
func (w *leakWorld) overrideReason() string {
	const m = "lkm.191"
	if _, ok := w.scan.markers[m]; !ok {
		w.scan.mark("191", "the reason a share-check finding was overridden")
	}
	return m + " accepted by the lead"
}

// publish runs the check and publishes, overriding every finding; it
// returns how many findings were overridden.
func (w *leakWorld) publish(pm uint) int {
	w.t.Helper()
	check := w.lead.must(200, "POST", fmt.Sprintf("/api/v1/postmortems/%d/check", pm), nil, "").json(w.t)
	findings, _ := check["findings"].([]any)
	var keys []string
	for _, f := range findings {
		keys = append(keys, f.(map[string]any)["key"].(string))
	}
	w.lead.must(200, "POST", fmt.Sprintf("/api/v1/postmortems/%d/publish", pm),
		map[string]any{"overrides": overridesOf(keys, w.overrideReason())}, "")
	return len(keys)
}

func times(start time.Time, minutes int) (string, string) {
	return start.Format(time.RFC3339), start.Add(time.Duration(minutes) * time.Minute).Format(time.RFC3339)
}

// otherCustomersPostmortems: one shared with the other customer alone,
// with an item; its items are follow-ups of Acme's later.
func (w *leakWorld) otherCustomersPostmortems() {
	s := w.scan
	w.at(w.day(0, 2, 9))
	start, end := times(w.day(0, 2, 7), 30)
	pm := w.postmortem("other", map[string]any{"title": s.mark("181", "the title of a postmortem shared with the other customer only"),
		"visibility": "shared", "customer_ids": []uint{w.other.ID}, "severity": "SEV2", "started_at": start, "resolved_at": end,
		"external_summary": s.mark("182", "the external summary of the other customer's postmortem") + " Their sync was late.",
		"external_impact":  "Sync was late.", "external_cause": "A queue backed up.", "external_next_steps": "We are adding capacity alerts."})
	w.newItem("other", pm, map[string]any{"title": s.mark("183", "an item of the other customer's postmortem"), "type": "repair", "priority": "P1"})
	w.publish(pm)
}

// internalPostmortem names Acme but is never shared.
func (w *leakWorld) internalPostmortem() {
	s := w.scan
	w.at(w.day(0, 3, 9))
	start, end := times(w.day(0, 3, 7), 20)
	pm := w.postmortem("internal", map[string]any{"title": s.mark("161", "the title of an internal postmortem"),
		"visibility": "internal", "customer_ids": []uint{w.acme.ID}, "severity": "SEV3", "started_at": start, "resolved_at": end,
		"summary": s.mark("162", "the summary of an internal postmortem")})
	w.newItem("internal", pm, map[string]any{"title": s.mark("163", "an item of an internal postmortem"), "type": "repair", "priority": "P1"})
}

// sharedPostmortem is the heart of it: every internal field marked, every
// customer-facing field first written as a marked draft and cleaned
// before publishing, items internal, hidden then shown, and assigned to
// staff.
func (w *leakWorld) sharedPostmortem() {
	s := w.scan
	w.at(w.day(0, 5, 12))
	start, end := times(w.day(0, 5, 10), 40)
	internal := map[string]string{"summary": "101", "impact": "102", "root_causes": "103", "trigger": "104", "resolution": "105",
		"detection": "106", "went_well": "107", "went_wrong": "108", "got_lucky": "109", "timeline": "110", "supporting_links": "116"}
	fields := map[string]any{"title": s.mark("115", "a draft title of the shared postmortem, before publishing") + " checkout down on db-primary-7",
		"visibility": "shared", "customer_ids": []uint{w.acme.ID}, "severity": "SEV2", "started_at": start, "resolved_at": end}
	for f, code := range internal {
		fields[f] = s.mark(code, "the internal field "+f+" of the shared postmortem") + " db-primary-7 in rack 4"
	}
	drafts := map[string]string{"external_summary": "111", "external_impact": "112", "external_cause": "113", "external_next_steps": "114"}
	for f, code := range drafts {
		fields[f] = s.mark(code, "a draft of "+f+" before publishing") + " text the check would refuse"
	}
	pm := w.postmortem("shared", fields)

	w.at(w.day(0, 5, 13))
	w.newItem("canary", pm, map[string]any{"title": s.mark("141", "a draft title of a visible item, before publishing") + " fix db-primary-7",
		"description": s.mark("142", "a draft description of a visible item, before publishing"), "type": "prevent", "priority": "P1",
		"assignee": "lkm.203@provider.example"})
	w.newItem("hidden", pm, map[string]any{"title": s.mark("143", "the title of an internal-only item") + " fix db-primary-7 after OPS-1234",
		"description": s.mark("144", "the description of an internal-only item"), "type": "repair", "priority": "P1",
		"assignee": s.mark("206", "the assignee of an internal-only item") + "@provider.example", "customer_visible": false})
	w.newItem("shown-later", pm, map[string]any{"title": s.mark("131", "the title an item had while internal-only, before it was shown") + " rotate keys leaked in OPS-1234",
		"description": s.mark("132", "the description an item had while internal-only"), "type": "prevent", "priority": "P1",
		"assignee": "lkm.203@provider.example", "customer_visible": false})
	w.newItem("by-name", pm, map[string]any{"title": "Add an alert on checkout latency", "type": "detect", "priority": "P2",
		"assignee": "Uma lkm.204"})
	w.newItem("handover", pm, map[string]any{"title": "Document the retry settings", "type": "process", "priority": "P2",
		"assignee": s.mark("207", "the staff assignee an item had before it was handed to Acme") + "@provider.example"})
	due := models.DateOf(w.readDay()).AddDays(-2).String()
	w.newItem("acme-own", pm, map[string]any{"title": "Tune the retry budget", "owner": "customer", "customer_id": w.acme.ID,
		"assignee": "ops@acme.example", "type": "mitigate", "priority": "P1", "due_date": due})
	w.impact["shared"] = w.lead.must(201, "POST", fmt.Sprintf("/api/v1/postmortems/%d/impacts", pm),
		map[string]any{"slo_id": w.sloID(w.acme), "bad_minutes": 40}, "").id(w.t)

	w.at(w.day(0, 5, 14))
	w.patchPM(pm, map[string]any{"title": "Checkout slowdown", "external_summary": "Checkout requests were slow for 40 minutes.",
		"external_impact": "Some orders took longer to confirm.", "external_cause": "A configuration change slowed the payment service.",
		"external_next_steps": "We are adding a canary stage for configuration changes."})
	w.patchItem(w.lead, w.item["canary"], map[string]any{"title": "Add a canary stage",
		"description": "Configuration changes reach a small share of traffic first."})
	w.at(w.day(0, 5, 15))
	w.publish(pm)
}

// unpublishedPostmortem is shared with Acme but never published.
func (w *leakWorld) unpublishedPostmortem() {
	s := w.scan
	w.at(w.day(0, 5, 16))
	pm := w.postmortem("unpublished", map[string]any{"title": s.mark("151", "the title of a shared postmortem never published"),
		"visibility": "shared", "customer_ids": []uint{w.acme.ID}, "severity": "SEV3",
		"external_summary": s.mark("152", "the external summary of a postmortem never published")})
	w.newItem("unpublished", pm, map[string]any{"title": s.mark("153", "an item of a postmortem never published"), "type": "repair", "priority": "P1"})
}

// jointPostmortem is written with Acme and the other customer: each side
// sees its own section only.
func (w *leakWorld) jointPostmortem() {
	s := w.scan
	w.at(w.day(0, 6, 10))
	start, end := times(w.day(0, 6, 8), 60)
	pm := w.postmortem("joint", map[string]any{"title": "Payment webhook delays", "visibility": "joint",
		"customer_ids": []uint{w.acme.ID, w.other.ID}, "severity": "SEV2", "started_at": start, "resolved_at": end,
		"summary": s.mark("171", "the internal summary of the joint postmortem"), "root_causes": s.mark("172", "the internal root causes of the joint postmortem"),
		"external_summary": "Payment webhooks arrived late.", "external_impact": "Order updates were delayed.",
		"external_cause": "A worker pool was too small.", "external_next_steps": "We are resizing the pool automatically."})
	w.newItem("joint-hidden", pm, map[string]any{"title": s.mark("175", "an internal-only item of the joint postmortem"), "type": "repair",
		"priority": "P1", "customer_visible": false})
	w.newItem("joint-other", pm, map[string]any{"title": s.mark("174", "the other customer's item on the joint postmortem"), "owner": "customer",
		"customer_id": w.other.ID, "type": "repair", "priority": "P1"})
	path := fmt.Sprintf("/api/v1/postmortems/%d/joint-sections/", pm)
	w.alice.must(200, "PUT", path+fmt.Sprint(w.acme.ID), map[string]any{"impact": "Orders were delayed by up to an hour."}, "")
	w.olga.must(200, "PUT", path+fmt.Sprint(w.other.ID), map[string]any{"impact": s.mark("173", "the other customer's joint section")}, "")
	w.alice.must(201, "POST", fmt.Sprintf("/api/v1/action-items/%d/comments", w.newAcmeJointItem(pm)), map[string]any{"body": "Replayed on our side."}, "")
	w.at(w.day(0, 7, 10))
	for _, c := range []*leakClient{w.lead, w.alice, w.olga} {
		c.must(201, "POST", fmt.Sprintf("/api/v1/postmortems/%d/sign-offs", pm), nil, "")
	}
	w.publish(pm)
}

// newAcmeJointItem is an item Acme adds to the joint postmortem itself.
func (w *leakWorld) newAcmeJointItem(pm uint) uint {
	id := w.alice.must(201, "POST", fmt.Sprintf("/api/v1/postmortems/%d/action-items", pm),
		map[string]any{"title": "Replay missed webhooks", "type": "repair", "priority": "P1"}, "").id(w.t)
	w.item["acme-joint"] = id
	return id
}

// sharedWithBoth names both customers: Acme must not learn of the other,
// its item or its SLO.
func (w *leakWorld) sharedWithBoth() {
	s := w.scan
	w.at(w.day(0, 8, 10))
	start, end := times(w.day(0, 8, 9), 25)
	pm := w.postmortem("both", map[string]any{"title": "Search latency", "visibility": "shared",
		"customer_ids": []uint{w.acme.ID, w.other.ID}, "severity": "SEV3", "started_at": start, "resolved_at": end,
		"summary":          s.mark("186", "the internal summary of the postmortem shared with both customers"),
		"external_summary": "Search was slow.", "external_impact": "Searches took seconds.",
		"external_cause": "An index was rebuilt at peak time.", "external_next_steps": "Index rebuilds now run at night."})
	w.newItem("both-other", pm, map[string]any{"title": s.mark("184", "the other customer's item on a postmortem shared with both"),
		"owner": "customer", "customer_id": w.other.ID, "type": "repair", "priority": "P1"})
	w.newItem("both-ours", pm, map[string]any{"title": "Move index rebuilds to the night", "type": "prevent", "priority": "P2"})
	w.impact["both"] = w.lead.must(201, "POST", fmt.Sprintf("/api/v1/postmortems/%d/impacts", pm),
		map[string]any{"slo_id": w.sloID(w.other), "bad_minutes": 25}, "").id(w.t)
	w.publish(pm)
}

// overriddenPostmortem is published over a finding, so that an override
// reason exists for certain.
func (w *leakWorld) overriddenPostmortem() {
	s := w.scan
	w.at(w.day(0, 9, 10))
	start, end := times(w.day(0, 9, 9), 15)
	pm := w.postmortem("override", map[string]any{"title": "Login errors", "visibility": "shared", "customer_ids": []uint{w.acme.ID},
		"severity": "SEV3", "started_at": start, "resolved_at": end, "summary": s.mark("192", "the internal summary of the overridden postmortem"),
		"external_summary": "Some logins failed.", "external_impact": "Users had to retry.",
		"external_cause":      "Requests from 192.0.2.44 were blocked; write to noc@acme.example with questions.",
		"external_next_steps": "We changed the blocking rule."})
	if w.publish(pm) == 0 {
		w.t.Fatal("setup: the overridden postmortem had no finding, so no override reason was planted")
	}
}

// sharedLater is published to the other customer, drafts and all, and
// shared with Acme only later: Acme reads it from then on.
func (w *leakWorld) sharedLater() {
	s := w.scan
	w.at(w.day(0, 9, 12))
	start, end := times(w.day(0, 9, 11), 35)
	pm := w.postmortem("later", map[string]any{"title": s.mark("154", "a draft title of a postmortem shared with Acme later") + " backlog on mq-3",
		"visibility": "shared", "customer_ids": []uint{w.other.ID}, "severity": "SEV3", "started_at": start, "resolved_at": end,
		"external_summary": s.mark("155", "a draft of the external summary of a postmortem shared with Acme later"),
		"external_impact":  "Messages were late.", "external_cause": "A consumer stalled.", "external_next_steps": "We alert on stalled consumers."})
	w.patchPM(pm, map[string]any{"title": "Queue backlog", "external_summary": "Messages queued up for 35 minutes."})
	w.publish(pm)
	w.patchPM(pm, map[string]any{"external_summary": s.mark("156", "the external summary while the postmortem was shared with the other customer only")})
	w.at(w.day(0, 10, 9))
	w.patchPM(pm, map[string]any{"external_summary": "Messages queued up for 35 minutes before a consumer restarted."})
	w.patchPM(pm, map[string]any{"customer_ids": []uint{w.other.ID, w.acme.ID}})
}

// afterPublishing changes the shared postmortem once published: internal
// edits, a customer-facing edit, item changes and comments both ways, and
// follow-ups on items Acme may not see.
func (w *leakWorld) afterPublishing() {
	s := w.scan
	w.at(w.day(0, 10, 10))
	pm := w.pm["shared"]
	w.patchPM(pm, map[string]any{"summary": s.mark("117", "the internal summary, edited after publishing"),
		"timeline": s.mark("118", "the internal timeline, edited after publishing")})
	w.patchPM(pm, map[string]any{"external_next_steps": "We added a canary stage and will report on it in our next review."})
	w.patchItem(w.lead, w.item["canary"], map[string]any{"status": "in_progress"})
	w.patchItem(w.lead, w.item["hidden"], map[string]any{"status": "in_progress"})
	w.comment(w.lead, w.item["canary"], s.mark("121", "an internal comment on a visible item")+" restarted db-primary-7 twice", false)
	w.comment(w.lead, w.item["canary"], "We are rolling the canary stage out this week.", true)
	w.comment(w.lead, w.item["acme-own"], s.mark("122", "an internal comment on Acme's own item"), false)
	w.comment(w.lead, w.item["hidden"], s.mark("123", "a comment on an internal-only item"), true)
	w.patchItem(w.alice, w.item["acme-own"], map[string]any{"status": "in_progress"})
	w.alice.must(201, "POST", fmt.Sprintf("/api/v1/action-items/%d/comments", w.item["acme-own"]), map[string]any{"body": "Retry budget lowered on our side."}, "")
	for _, it := range []string{"internal", "other"} {
		w.lead.must(201, "POST", fmt.Sprintf("/api/v1/postmortems/%d/follow-ups", pm), map[string]any{"action_item_id": w.item[it]}, "")
	}
}

// nextMonth shows the hidden item under a clean title, closes the canary
// and moves assignees around.
func (w *leakWorld) nextMonth() {
	s := w.scan
	w.at(w.day(1, 3, 10))
	w.patchItem(w.lead, w.item["shown-later"], map[string]any{"customer_visible": true, "title": "Rotate the signing keys",
		"description": "Keys are now rotated every 90 days."})
	w.patchItem(w.lead, w.item["canary"], map[string]any{"status": "done", "assignee": s.mark("205", "a later assignee's email") + "@provider.example"})
	w.patchItem(w.lead, w.item["hidden"], map[string]any{"title": s.mark("133", "an internal-only item's title, renamed later")})
	// Handed to Acme without a new assignee: ours stays in the field.
	w.patchItem(w.lead, w.item["handover"], map[string]any{"owner": "customer", "customer_id": w.acme.ID})
	w.archived()
}

// archived makes a visible item and a visible comment by mistake and
// archives both at once, with reasons: none of it reaches Acme (issue 20).
func (w *leakWorld) archived() {
	s := w.scan
	pm := w.pm["shared"]
	it := w.newItem("archived", pm, map[string]any{"title": s.mark("134", "the title of an item archived as soon as it was made"),
		"description": s.mark("135", "the description of an archived item"), "type": "repair", "priority": "P0"})
	w.comment(w.lead, w.item["canary"], s.mark("124", "a visible comment archived as soon as it was made"), true)
	cs := w.lead.must(200, "GET", fmt.Sprintf("/api/v1/action-items/%d/comments", w.item["canary"]), nil, "").json(w.t)
	items, _ := cs["items"].([]any)
	last := items[len(items)-1].(map[string]any)["id"]
	w.lead.must(204, "DELETE", fmt.Sprintf("/api/v1/action-items/%d/comments/%v", w.item["canary"], last),
		map[string]any{"reason": s.mark("136", "the reason a comment was archived")}, "")
	w.lead.must(204, "DELETE", fmt.Sprintf("/api/v1/action-items/%d", it),
		map[string]any{"reason": s.mark("137", "the reason an item was archived")}, "")
}

// issueReviews issues Acme's reviews of M and M+1, and the other's of M,
// each after its month, by a member of staff whose name is a marker; and
// emails Acme's to its contacts.
func (w *leakWorld) issueReviews() {
	for i, at := range []time.Time{w.day(1, 10, 10), w.day(2, 2, 10)} {
		w.at(at)
		id := w.issuer.must(201, "POST", fmt.Sprintf("/api/v1/customers/%d/reports/%s/issue", w.acme.ID, w.months[i]), nil, "").id(w.t)
		w.issued = append(w.issued, id)
		w.acmeIssued = append(w.acmeIssued, id)
		w.issuer.must(202, "POST", fmt.Sprintf("/api/v1/issued-reports/%d/email", id), nil, "")
	}
	id := w.issuer.must(201, "POST", fmt.Sprintf("/api/v1/customers/%d/reports/%s/issue", w.other.ID, w.months[0]), nil, "").id(w.t)
	w.issued = append(w.issued, id)
}

// readDay is when everything is read: a Monday (the reminder digest day)
// in M+2, at a working hour in Berlin.
func (w *leakWorld) readDay() time.Time {
	d := w.day(2, 5, 10)
	for d.Weekday() != time.Monday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// runJob runs the subscriptions job at a moment, as serve does every
// minute, with webhooks allowed to reach the test's receiver on loopback.
func (w *leakWorld) runJob(at time.Time) {
	w.clock.Store(at.UnixNano())
	if err := w.job.Run(context.Background(), at); err != nil {
		w.t.Fatalf("subscriptions job at %s: %v", at, err)
	}
	w.lastRun = at
}
