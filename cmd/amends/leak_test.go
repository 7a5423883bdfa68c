package main

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/notify"
	"github.com/amendsdev/amends/reports"
)

// TestNothingInternalReachesACustomerAnywhere plants a marker in every
// internal field, every draft of a customer-facing field written before
// publishing, every internal-only item and comment (and items shown
// later under another title), staff names and emails, override reasons,
// and another customer's postmortems, items, SLO and name. Then it reads,
// as customer Acme, everything Acme can get: every GET route of the
// server with every id, format and filter (API with a token, pages with a
// session), every link of the portal, the answers to its own writes, its
// Atom feed, its webhook payloads, the emails to its people, and the
// monthly review in every format as staff hand it over (the live API
// review, the prepared draft, `amends report`); and, as anyone without
// signing in, the public page, its every postmortem and its feed, where
// nothing only a customer may read may show either. Any marker anywhere
// fails the output that shows it. Controls prove the markers were planted
// and that each family of outputs was really read.
func TestNothingInternalReachesACustomerAnywhere(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		w := newLeakWorld(t, db)
		w.build()
		w.at(w.readDay())
		drafts, acmeDrafts := w.prepareDraftsAndReminders()
		oracleFlashes := w.invitations()

		t.Run("planted", func(t *testing.T) { w.checkPlanted(t) })
		t.Run("writes", func(t *testing.T) {
			for out, body := range w.customerWrite {
				w.scan.scan("writes", out, body)
			}
			w.scan.report(t, "writes")
			w.scan.control(t, "writes", "Replay missed webhooks", "Retry budget lowered on our side.")
		})
		t.Run("api", func(t *testing.T) { w.readRoutes(t, drafts) })
		t.Run("portal", func(t *testing.T) { w.crawlPortal(t) })
		t.Run("public", func(t *testing.T) { w.readPublic(t, drafts) })
		t.Run("feed", func(t *testing.T) { w.readFeed(t) })
		t.Run("webhooks", func(t *testing.T) {
			w.hookMu.Lock()
			bodies := w.hookBodies
			w.hookMu.Unlock()
			if len(bodies) == 0 {
				t.Error("control: no webhook payload was received")
			}
			for i, b := range bodies {
				w.scan.scan("webhooks", fmt.Sprintf("webhook payload %d", i+1), b)
			}
			w.scan.report(t, "webhooks")
			w.scan.control(t, "webhooks", "Checkout slowdown", "Rotate the signing keys")
		})
		t.Run("emails", func(t *testing.T) { w.readEmails(t) })
		t.Run("staff-review", func(t *testing.T) { w.readStaffReviews(t, acmeDrafts) })
		t.Run("cli-report", func(t *testing.T) { w.readCLI(t) })
		t.Run("oracles", func(t *testing.T) { w.checkOracles(t, oracleFlashes) })
		t.Run("refusals", func(t *testing.T) { w.checkRefusals(t) })
	})
}

// prepareDraftsAndReminders runs the drafts job and a reminder pass on the
// read day, and returns the ids of every draft, and of Acme's.
func (w *leakWorld) prepareDraftsAndReminders() (all, acme []uint) {
	ctx := context.Background()
	if _, err := reports.PrepareDrafts(ctx, w.store); err != nil {
		w.t.Fatal(err)
	}
	for _, m := range w.months {
		list := w.lead.must(200, "GET", "/api/v1/review-drafts?month="+m.String(), nil, "").json(w.t)["items"].([]any)
		for _, d := range list {
			id := uint(d.(map[string]any)["id"].(float64))
			all = append(all, id)
			if uint(d.(map[string]any)["customer_id"].(float64)) == w.acme.ID {
				acme = append(acme, id)
			}
		}
	}
	if len(acme) == 0 {
		w.t.Fatal("setup: no review draft of Acme was prepared")
	}
	rem := &notify.Reminder{Store: w.store, Outbox: notify.NewOutbox(w.store), BaseURL: "https://amends.example",
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if _, err := rem.RunOnce(ctx); err != nil {
		w.t.Fatal(err)
	}
	return all, acme
}

// flashOf is the flash message a page shows.
var flashOf = regexp.MustCompile(`<p class="flash[^"]*"[^>]*>([^<]*)</p>`)

// invitations has Acme's admin invite a new colleague (an email, a page),
// then addresses that already have accounts elsewhere; it returns what the
// page said to each, for the oracle check.
func (w *leakWorld) invitations() map[string]string {
	b := w.browser(w.arno)
	out := map[string]string{}
	for _, email := range []string{"newbie@acme.example", "ghost@nowhere.example", "casey@other.example", "sam@provider.example"} {
		a := b.post("/portal/organisation", "/portal/organisation/invitations", url.Values{"email": {email}})
		page := b.send("GET", "/portal/organisation", nil)
		m := flashOf.FindSubmatch(page.body)
		if a.status != 303 || m == nil {
			w.t.Fatalf("invite %s: %d, flash %q", email, a.status, m)
		}
		out[email] = strings.ReplaceAll(string(m[1]), email, "EMAIL")
	}
	return out
}

// browser is a signed-in browser of the user: the session cookie, no
// token.
func (w *leakWorld) browser(u *leakClient) *leakClient {
	b := newLeakClient(w.t, w.base, u.email, "")
	b.login(leakPassword)
	return b
}

// checkPlanted reads what staff read and fails for any marker not in it:
// a marker the customer does not see must have been there to see.
func (w *leakWorld) checkPlanted(t *testing.T) {
	var staff strings.Builder
	get := func(path string) {
		a := w.lead.send("GET", path, nil)
		staff.WriteString(readable(a.body))
	}
	for _, id := range values(w.pm) {
		for _, sub := range []string{"", "/history", "/joint-sections", "/sign-offs", "/action-items", "/archived-action-items"} {
			get(fmt.Sprintf("/api/v1/postmortems/%d%s", id, sub))
		}
	}
	for _, id := range values(w.item) {
		for _, sub := range []string{"", "/history", "/comments", "/archived-comments"} {
			get(fmt.Sprintf("/api/v1/action-items/%d%s", id, sub))
		}
	}
	get("/api/v1/customers")
	// Webhooks are their organisation's own: the other customer's admin reads it.
	staff.WriteString(readable(w.olga.send("GET", "/api/v1/webhooks", nil).body))
	for _, c := range []*models.Customer{w.acme, w.other} {
		get(fmt.Sprintf("/api/v1/customers/%d/slos", c.ID))
		get(fmt.Sprintf("/api/v1/customers/%d/issued-reports", c.ID))
	}
	for _, u := range []string{w.lead.email, w.issuer.email, "lkm.203@provider.example", w.olga.email} {
		if usr, err := w.store.UserByEmail(context.Background(), u); err == nil {
			staff.WriteString(strings.ToLower(usr.Name + " " + usr.Email + "\n"))
		}
	}
	var missing []string
	for m, what := range w.scan.markers {
		if !strings.Contains(staff.String(), m) {
			missing = append(missing, m+" ("+what+")")
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("control: marker %s is in nothing staff read: it was not planted", m)
	}
}

// readRoutes reads every GET route with every id and variant as both of
// Acme's users, the API with a token and pages with a session; and fails
// where an object Acme may not see answers otherwise than one that does
// not exist.
func (w *leakWorld) readRoutes(t *testing.T, drafts []uint) {
	reqs := w.customerRequests(drafts)
	for _, u := range []*leakClient{w.alice, w.arno} {
		api := newLeakClient(t, w.base, u.email, u.token)
		page := w.browser(u)
		byGroup := map[string]map[uint]leakAnswer{}
		for _, r := range reqs {
			c, family := page, "portal"
			if strings.HasPrefix(r.path, "/api/") {
				c, family = api, "api"
			}
			a := c.send("GET", r.path, nil)
			w.scan.scan(family, "GET "+r.path+" as "+u.email, a.body)
			for next, n := nextPage(a.body), 0; next != "" && n < 50; n++ {
				b := c.send("GET", next, nil)
				w.scan.scan(family, "GET "+next+" as "+u.email, b.body)
				next = nextPage(b.body)
			}
			if r.id != 0 {
				if byGroup[r.group] == nil {
					byGroup[r.group] = map[uint]leakAnswer{}
				}
				byGroup[r.group][r.id] = a
			}
		}
		for group, answers := range byGroup {
			none := answers[leakNone]
			for id, a := range answers {
				if id != leakNone && a.status != 200 && !sameAnswer(a, none, id, leakNone) {
					t.Errorf("GET %s as %s: id %d answers %d %.200q, a missing one %d %.200q: the answer tells that it exists",
						group, u.email, id, a.status, a.body, none.status, none.body)
				}
			}
		}
	}
	w.scan.report(t, "api")
	w.scan.control(t, "api", "Checkout slowdown", "Checkout requests were slow for 40 minutes.", "Add a canary stage",
		"Rotate the signing keys", "We are rolling the canary stage out this week.", "Orders were delayed by up to an hour.",
		"We added a canary stage", "Payment webhook delays", "Search latency", "Login errors", "Tune the retry budget")
}

// crawlPortal follows every link from the portal's start page, as a
// browser would, for both of Acme's users; and reads the pages only a
// link in an email leads to.
func (w *leakWorld) crawlPortal(t *testing.T) {
	for _, u := range []*leakClient{w.alice, w.arno} {
		b := w.browser(u)
		seen := map[string]bool{"/portal": true}
		queue := []string{"/portal"}
		for len(queue) > 0 && len(seen) < 500 {
			p := queue[0]
			queue = queue[1:]
			a := b.send("GET", p, nil)
			w.scan.scan("portal", "crawl "+p+" as "+u.email, a.body)
			if a.status != 200 {
				t.Logf("crawl: %s answers %d to %s", p, a.status, u.email)
			}
			for _, l := range links(a.body) {
				if !seen[l] {
					seen[l] = true
					queue = append(queue, l)
				}
			}
		}
		if len(seen) < 8 {
			t.Errorf("the crawl as %s reached only %v", u.email, seen)
		}
	}
	anon := newLeakClient(t, w.base, "anonymous", "")
	fromEmails := emailLinks(w.acmeEmails(t))
	if len(fromEmails) < 2 {
		t.Errorf("control: the emails hold only the links %v; want invitations and unsubscribe links", fromEmails)
	}
	for _, link := range fromEmails {
		a := anon.send("GET", link, nil)
		w.scan.scan("portal", "GET "+link+" from an email", a.body)
	}
	w.scan.report(t, "portal")
	w.scan.control(t, "portal", "Checkout slowdown", "Add a canary stage", "Rotate the signing keys",
		"We are rolling the canary stage out this week.", "Orders were delayed by up to an hour.", "Tune the retry budget")
}

var emailLink = regexp.MustCompile(`https://amends\.example(/(?:invite|notifications/unsubscribe)[^\s"<>)]*)`)

// emailLinks are the paths of the invitation and unsubscribe links in
// emails: pages a customer reaches without signing in.
func emailLinks(mails []*notify.Message) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range mails {
		for _, l := range emailLink.FindAllStringSubmatch(m.TextBody+m.HTMLBody, -1) {
			p := strings.ReplaceAll(l[1], "&amp;", "&")
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

var leakFeedURL = regexp.MustCompile(`/feeds/[A-Za-z0-9_-]+\.atom`)

func (w *leakWorld) readFeed(t *testing.T) {
	b := w.browser(w.alice)
	a := b.post("/portal/subscriptions", "/portal/subscriptions/feed", url.Values{})
	link := leakFeedURL.Find(a.body)
	if link == nil {
		t.Fatalf("no feed URL on the page (%d)", a.status)
	}
	feed := newLeakClient(t, w.base, "a feed reader", "").send("GET", string(link), nil)
	w.scan.scan("feed", "the Atom feed", feed.body)
	w.scan.report(t, "feed")
	w.scan.control(t, "feed", "Checkout slowdown", "Rotate the signing keys")
}

// acmeEmails are the outbox's messages to anyone but staff: Acme's users,
// contacts and invitees.
func (w *leakWorld) acmeEmails(t *testing.T) []*notify.Message {
	ctx := context.Background()
	staff := map[string]bool{w.lead.email: true, w.issuer.email: true, "lkm.203@provider.example": true}
	outbox := notify.NewOutbox(w.store)
	list, err := outbox.List(ctx, "", 10000)
	if err != nil {
		t.Fatal(err)
	}
	var out []*notify.Message
	for _, m := range list {
		if staff[m.Recipient] || strings.HasSuffix(m.Recipient, "@provider.example") || strings.HasSuffix(m.Recipient, "@other.example") ||
			strings.Contains(m.Recipient, "lkm.3") {
			continue
		}
		full, err := outbox.Get(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, full)
	}
	return out
}

func (w *leakWorld) readEmails(t *testing.T) {
	mails := w.acmeEmails(t)
	kinds := map[string]int{}
	for _, m := range mails {
		kinds[m.Kind]++
		w.scan.scan("emails", fmt.Sprintf("email %q (%s) to %s", m.Subject, m.Kind, m.Recipient),
			[]byte(m.Subject+"\n"+m.TextBody+"\n"+m.HTMLBody+"\n"+fmt.Sprint(m.Headers)))
	}
	t.Logf("emails to Acme's people, by kind: %v", kinds)
	for _, k := range []string{"change", "change_digest", notify.KindCustomerReminder, "review", "invitation"} {
		if kinds[k] == 0 {
			t.Errorf("control: no email of kind %s among %v: that output was not read", k, kinds)
		}
	}
	w.scan.report(t, "emails")
	w.scan.control(t, "emails", "Checkout slowdown", "Rotate the signing keys", "Tune the retry budget", "Monthly SLO review")
}

// readStaffReviews reads the review as staff hand it to the customer: the
// live API review (no audience asked for) of every month, and every draft,
// in every format.
func (w *leakWorld) readStaffReviews(t *testing.T, drafts []uint) {
	var paths []string
	for _, m := range w.months {
		for _, f := range reviewFormats {
			paths = append(paths, fmt.Sprintf("/api/v1/customers/%d/reports/%s?format=%s", w.acme.ID, m, f))
		}
	}
	for _, id := range drafts {
		for _, f := range reviewFormats {
			paths = append(paths, fmt.Sprintf("/api/v1/review-drafts/%d?format=%s", id, f))
		}
	}
	for _, p := range paths {
		a := w.lead.send("GET", p, nil)
		if a.status != 200 {
			t.Errorf("GET %s as staff: %d %s", p, a.status, a.body)
			continue
		}
		w.reviewControl(t, "staff GET "+p, a.body)
		w.scan.scan("staff-review", "staff GET "+p, a.body)
	}
	w.scan.report(t, "staff-review")
}

// reviewControl fails a review rendering that lacks the shared
// postmortem's title: for a PDF, the proof that its text is searched.
func (w *leakWorld) reviewControl(t *testing.T, output string, body []byte) {
	t.Helper()
	if !strings.Contains(readable(body), "checkout slowdown") {
		t.Errorf("control: %s does not show the shared postmortem's title: it is not searched", output)
	}
}

// readCLI runs `amends report` for Acme, as the lead would before pasting
// or attaching it, in every format for both months that are over.
func (w *leakWorld) readCLI(t *testing.T) {
	dbArgs := leakDBArgs(t, w.db)
	for _, m := range w.months[:2] {
		for _, f := range reviewFormats {
			args := append([]string{"report"}, dbArgs...)
			args = append(args, "--customer", "acme", "--month", m.String(), "--format", f)
			out, errOut, err := amends(t, "", args...)
			if err != nil {
				t.Errorf("amends %s: %v %s", strings.Join(args, " "), err, errOut)
				continue
			}
			name := fmt.Sprintf("amends report --customer acme --month %s --format %s", m, f)
			w.reviewControl(t, name, []byte(out))
			w.scan.scan("cli-report", name, []byte(out))
		}
	}
	w.scan.report(t, "cli-report")
}

// leakDBArgs names the test's database to the command line.
func leakDBArgs(t *testing.T, db *database.DB) []string {
	if db.Postgres {
		var name string
		if err := db.R.Raw("SELECT current_database()").Scan(&name).Error; err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(os.Getenv(testdb.EnvPostgres))
		if err != nil {
			t.Fatal(err)
		}
		u.Path = "/" + name
		return []string{"--database-url", u.String()}
	}
	var files []struct {
		Name string
		File string
	}
	if err := db.R.Raw("PRAGMA database_list").Scan(&files).Error; err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Name == "main" {
			return []string{"--db", f.File}
		}
	}
	t.Fatalf("no main database in %v", files)
	return nil
}
