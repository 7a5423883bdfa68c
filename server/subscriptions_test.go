package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"net/url"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models/testdb"
)

// TestFeedTokensAreHashedRevocableAndRegenerable: a new URL replaces the
// old one, turning the feed off kills it, and only hashes are stored.
func TestFeedTokensAreHashedRevocableAndRegenerable(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		b := newBrowser(t, e.srv.Handler())
		if b.login(e.f.CustA.Email, testdb.Password) != 303 {
			t.Fatal("customer sign-in failed")
		}
		newFeed := func() string {
			t.Helper()
			_, page, _ := b.post("/portal/subscriptions/feed", url.Values{"csrf": {b.csrf("/portal/subscriptions")}})
			link := feedURL.FindString(page)
			if link == "" {
				t.Fatalf("no feed URL: %s", page)
			}
			return link
		}
		first := newFeed()
		if status, body, h := b.get(first); status != 200 || !strings.Contains(h.Get("Content-Type"), "atom") || !strings.Contains(body, "<feed") {
			t.Fatalf("feed: %d %s", status, body)
		}
		second := newFeed()
		if first == second {
			t.Fatal("a new feed URL repeats the old one")
		}
		scenarios := []struct {
			name string
			link string
			want int
		}{{"the replaced URL", first, 404}, {"the new URL", second, 200}}
		for _, sc := range scenarios {
			if status, _, _ := b.get(sc.link); status != sc.want {
				t.Errorf("%s answers %d, want %d", sc.name, status, sc.want)
			}
		}
		var hashes []string
		if err := db.R.Table("feed_tokens").Pluck("token_hash", &hashes).Error; err != nil {
			t.Fatal(err)
		}
		token := strings.TrimSuffix(strings.TrimPrefix(second, "/feeds/"), ".atom")
		if len(hashes) != 2 || strings.Contains(strings.Join(hashes, ""), token) {
			t.Errorf("stored %v: want two hashes and no token", hashes)
		}
		if status, _, _ := b.post("/portal/subscriptions/feed/revoke", url.Values{"csrf": {b.csrf("/portal/subscriptions")}}); status != 303 {
			t.Fatalf("revoke: %d", status)
		}
		if status, _, _ := b.get(second); status != 404 {
			t.Errorf("a revoked feed answers %d", status)
		}
	})
}

// TestWebhooksAreTheCustomerAdminsToManage: the secret is shown once, the
// page of a member has no webhooks, and a webhook can be deleted.
func TestWebhooksAreTheCustomerAdminsToManage(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	admin := newBrowser(t, e.srv.Handler())
	if admin.login(e.f.CustAdminA.Email, testdb.Password) != 303 {
		t.Fatal("sign-in failed")
	}
	form := url.Values{"url": {"https://hooks.acme.example/amends"}, "csrf": {admin.csrf("/portal/subscriptions")}}
	status, page, _ := admin.post("/portal/subscriptions/webhooks", form)
	if status != 200 || !strings.Contains(page, "whsec_") {
		t.Fatalf("create: %d", status)
	}
	if _, again, _ := admin.get("/portal/subscriptions"); strings.Contains(again, "whsec_") || !strings.Contains(again, "hooks.acme.example") {
		t.Error("the secret is shown again, or the webhook is not listed")
	}
	form.Set("url", "ftp://nope")
	if status, _, _ := admin.post("/portal/subscriptions/webhooks", form); status != 303 {
		t.Errorf("a bad URL answers %d", status)
	}
	member := newBrowser(t, e.srv.Handler())
	member.login(e.f.CustA.Email, testdb.Password)
	if _, p, _ := member.get("/portal/subscriptions"); strings.Contains(p, "hooks.acme.example") || strings.Contains(p, "Delivery log") {
		t.Error("a member sees the webhooks")
	}
	if status, _, _ := admin.post("/portal/subscriptions/webhooks/1/delete", url.Values{"csrf": {admin.csrf("/portal/subscriptions")}}); status != 303 {
		t.Errorf("delete: %d", status)
	}
	if hooks, err := e.f.Store.Webhooks(t.Context(), e.f.CustAdminA); err != nil || len(hooks) != 0 {
		t.Errorf("after deleting: %v, %v", hooks, err)
	}
}
