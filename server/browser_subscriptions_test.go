package server_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/amendsdev/amends/models"
)

// TestSubscriptionsInTheBrowser: a customer chooses a daily digest and
// makes a private feed URL, which then reads as Atom without a session.
func TestSubscriptionsInTheBrowser(t *testing.T) {
	ctx := chrome(t)
	ts, creds, store := demoServer(t)
	signIn(t, ctx, ts.URL, creds.CustomerEmail, creds.CustomerPassword)
	step(t, ctx, "choose a daily digest",
		chromedp.Click(`//nav//a[text()="Subscriptions"]`),
		chromedp.WaitVisible(css("#mode")),
		chromedp.SetValue(css("#mode"), models.SubscribeDaily),
		clearFlash,
		chromedp.Submit(css("#mode")),
		flash("Email subscription saved."),
	)
	u, err := store.UserByEmail(context.Background(), creds.CustomerEmail)
	if err != nil {
		t.Fatal(err)
	}
	if mode, err := store.SubscriptionOf(context.Background(), u); err != nil || mode != models.SubscribeDaily {
		t.Errorf("mode %q, %v", mode, err)
	}
	step(t, ctx, "make a feed URL",
		chromedp.Click(css("#new-feed")),
		chromedp.WaitVisible(css("#feed-url")),
	)
	link, err := url.Parse(textOf(t, ctx, "#feed-url"))
	if err != nil || !strings.HasPrefix(link.Path, "/feeds/") {
		t.Fatalf("feed URL %v, %v", link, err)
	}
	resp, err := http.Get(ts.URL + link.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<feed") || strings.Contains(string(body), "Globex") {
		t.Errorf("the feed: %d %s", resp.StatusCode, body)
	}
}
