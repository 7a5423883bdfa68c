package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/notify"
	"github.com/amendsdev/amends/subscribe"
)

var feedURL = regexp.MustCompile(`/feeds/[A-Za-z0-9_-]{43}\.atom`)

// internalChanges makes changes customer A must never hear of, next to one
// it must: an internal field, an internal-only item, an internal
// postmortem, B's item, and A's visible item.
func internalChanges(t *testing.T, f *testdb.Fixture) {
	t.Helper()
	s := f.Store
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := s.UpdatePostmortem(t.Context(), f.SRE, f.SharedA.ID, models.PostmortemPatch{Summary: models.Some("again " + testdb.Marker)})
	must(err)
	for _, it := range []*models.ActionItem{f.InternalItemA, f.InternalPMItem, f.ItemB, f.CustomerItemBOnAB, f.ProviderItemA} {
		_, err = s.UpdateItem(t.Context(), f.SRE, it.ID, models.ItemPatch{Status: models.Some(models.StatusBlocked)})
		must(err)
	}
}

// TestNothingInternalReachesSubscribers reads customer A's feed, runs the
// subscriptions job into a webhook receiver and the outbox, and searches
// all of it for internal content and other customers' data.
func TestNothingInternalReachesSubscribers(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		f := e.f
		var mu sync.Mutex
		var payloads []string
		recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			payloads = append(payloads, string(body))
			mu.Unlock()
		}))
		t.Cleanup(recv.Close)
		testdb.AllowLoopback(t, f.Store)
		if _, err := f.Store.CreateWebhook(t.Context(), f.CustAdminA, recv.URL); err != nil {
			t.Fatal(err)
		}
		for _, u := range []*models.User{f.CustA, f.CustAdminA} {
			if err := f.Store.Subscribe(t.Context(), u, models.SubscribeInstant); err != nil {
				t.Fatal(err)
			}
		}
		internalChanges(t, f)

		b := newBrowser(t, e.srv.Handler())
		if b.login(f.CustA.Email, testdb.Password) != 303 {
			t.Fatal("customer sign-in failed")
		}
		_, page, _ := b.post("/portal/subscriptions/feed", url.Values{"csrf": {b.csrf("/portal/subscriptions")}})
		link := feedURL.FindString(page)
		if link == "" {
			t.Fatalf("no feed URL on the page: %s", page)
		}
		status, feed, _ := b.get(link)
		if status != 200 || !strings.Contains(feed, "Provider fix for A") || !strings.Contains(feed, "Blocked") {
			t.Fatalf("feed %d: %s", status, feed)
		}
		assertNoLeak(t, "the Atom feed", feed)

		job := subscribe.NewJob(f.Store, "https://amends.example")
		if err := job.Run(t.Context(), time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if len(payloads) == 0 || !strings.Contains(strings.Join(payloads, "\n"), "Provider fix for A") {
			t.Fatalf("webhook payloads: %v", payloads)
		}
		for _, p := range payloads {
			assertNoLeak(t, "a webhook payload", p)
		}
		outbox := notify.NewOutbox(f.Store)
		msgs, err := outbox.List(t.Context(), "", 1000)
		if err != nil || len(msgs) == 0 {
			t.Fatalf("outbox: %d messages, %v", len(msgs), err)
		}
		for _, m := range msgs {
			full, err := outbox.Get(t.Context(), m.ID)
			if err != nil {
				t.Fatal(err)
			}
			assertNoLeak(t, "email "+m.Subject, full.Subject+"\n"+full.TextBody+full.HTMLBody)
			if m.Recipient != f.CustA.Email && m.Recipient != f.CustAdminA.Email {
				t.Errorf("email to %s", m.Recipient)
			}
		}
	})
}
