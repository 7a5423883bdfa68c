package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/amendsdev/amends/models/demo"
)

// TestPublicPageInTheBrowser reads the demo's public page as anyone would,
// without signing in: the list with its promise lines, a postmortem with
// its promises and the earlier one it follows up on, and the link preview
// metadata; and nothing of the customers hit, our people or anything not
// public.
func TestPublicPageInTheBrowser(t *testing.T) {
	ctx := chrome(t)
	ts, _, _ := demoServer(t)
	site := demo.PublicTitle + " · " + demo.PublicOrganisation
	step(t, ctx, "open the public page",
		chromedp.Navigate(ts.URL+"/status"),
		chromedp.WaitVisible(css("ol.incidents")),
	)
	assertPreview(t, ctx, site, site)
	list := textOf(t, ctx, "body")
	for _, want := range []string{"Slow sign-in during a traffic peak", "1 of 3 promises kept",
		"Sign-in failures after a session store upgrade", "3 of 3 promises kept", "lasted 1 h 4 min", "after resolution"} {
		if !strings.Contains(list, want) {
			t.Errorf("the public list lacks %q:\n%s", want, list)
		}
	}
	if strings.Index(list, "Slow sign-in") > strings.Index(list, "Sign-in failures") {
		t.Error("the public list is not newest first")
	}
	step(t, ctx, "open the later postmortem",
		chromedp.Click(`//a[text()="Slow sign-in during a traffic peak"]`),
		chromedp.WaitVisible(css("section.promises")),
	)
	assertPreview(t, ctx, "Slow sign-in during a traffic peak · "+demo.PublicOrganisation, "")
	later := textOf(t, ctx, "body")
	for _, want := range []string{"Signing in was slow for 26 minutes", "Put planned traffic events on the on-call calendar", "done on",
		"Scale the session system ahead of planned traffic events", "open", "won't do", "Earlier promises this incident comes back to",
		"Alert when the sign-in success rate drops in any zone"} {
		if !strings.Contains(later, want) {
			t.Errorf("the later postmortem lacks %q:\n%s", want, later)
		}
	}
	step(t, ctx, "follow the link back to the earlier promise",
		chromedp.Click(`//section[@class="earlier"]//a`),
		chromedp.WaitVisible(`//p[@class="followup"]/a[text()="Slow sign-in during a traffic peak"]`),
	)
	earlier := textOf(t, ctx, "body")
	for _, page := range []string{list, later, earlier} {
		for _, hidden := range []string{"Northwind", "Globex", "Initech", "Sign integration clients in again", "runbook", "sess-03",
			"Sam", "Mei", "amends.example", "Shipment API", "Ledger", "Build pipeline"} {
			if strings.Contains(page, hidden) {
				t.Errorf("the public page shows %q:\n%s", hidden, page)
			}
		}
	}
}

// assertPreview checks the title and the Open Graph title of the page,
// and that it has a description; wantTitle "" takes ogTitle.
func assertPreview(t *testing.T, ctx context.Context, ogTitle, wantTitle string) {
	t.Helper()
	if wantTitle == "" {
		wantTitle = ogTitle
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil || title != wantTitle {
		t.Errorf("title %q (%v), want %q", title, err, wantTitle)
	}
	for prop, want := range map[string]string{"og:title": ogTitle, "og:type": ""} {
		v, err := chromedp.Run(ctx, chromedp.AttributeValue(css(`meta[property="`+prop+`"]`), "content"))
		if err != nil || !v.Exists || (want != "" && v.Value != want) {
			t.Errorf("%s is %q (%v), want %q", prop, v.Value, err, want)
		}
	}
	desc, err := chromedp.Run(ctx, chromedp.AttributeValue(css(`meta[name="description"]`), "content"))
	if err != nil || len(desc.Value) < 20 {
		t.Errorf("meta description %q (%v)", desc.Value, err)
	}
}
