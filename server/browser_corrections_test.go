package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestCorrectionsInTheBrowser (issue 20, tried as a new SRE lead would
// with serve --demo): fix a wrong impact and archive an item from the
// browser, then restore it, without the CLI or curl.
func TestCorrectionsInTheBrowser(t *testing.T) {
	ctx := chrome(t)
	ts, creds, _ := demoServer(t)
	signIn(t, ctx, ts.URL, creds.AdminEmail, creds.AdminPassword)
	step(t, ctx, "open a postmortem and record a wrong impact",
		chromedp.Navigate(ts.URL+"/postmortems?q=certificate"),
		chromedp.Click(`//a[text()="Shipment API errors after a certificate rotation"]`),
		chromedp.WaitVisible(css("#impacts")),
	)
	slo, err := chromedp.Run(ctx, chromedp.AttributeValue(`//select[@id="slo"]/option[text()="Tracking page latency"]`, "value"))
	if err != nil || !slo.Exists {
		t.Fatalf("no tracking-latency SLO to choose: %v", err)
	}
	step(t, ctx, "a typo is refused with what is allowed",
		chromedp.SetValue(css("#slo"), slo.Value),
		chromedp.SendKeys(css("#bad"), "1000000000"),
		clearFlash,
		chromedp.Submit(css("#bad")),
		flash("must be at most"),
	)
	step(t, ctx, "record a wrong one",
		chromedp.SetValue(css("#slo"), slo.Value),
		chromedp.SetValue(css("#bad"), "9"),
		clearFlash,
		chromedp.Submit(css("#bad")),
		flash("Impact recorded."),
	)
	row := `//h2[@id="impacts"]/following-sibling::table[1]//tr[td[1][text()="Tracking page latency"]]`
	step(t, ctx, "correct it",
		chromedp.SetValue(row+`//input[@name="bad_minutes"]`, "7"),
		clearFlash,
		chromedp.Submit(row+`//input[@name="bad_minutes"]`),
		flash("Impact corrected."),
	)
	if cell, err := chromedp.Run(ctx, chromedp.Text(row+`/td[2]`)); err != nil || strings.TrimSpace(cell) != "7" {
		t.Errorf("the corrected impact reads %q (%v), want 7", cell, err)
	}
	if text := textOf(t, ctx, "#history"+"~ol"); !strings.Contains(text, "impact") && !strings.Contains(text, "Impact") {
		t.Errorf("the history does not record the correction: %q", text)
	}

	firstItem := `//h2[@id="items"]/following-sibling::table[1]//tbody//a`
	title, err := chromedp.Run(ctx, chromedp.Text(firstItem))
	if err != nil || title == "" {
		t.Fatalf("no item to archive: %v", err)
	}
	step(t, ctx, "archive an item",
		chromedp.Click(firstItem),
		chromedp.WaitVisible(css("#archive")),
		chromedp.SetAttributeValue(css("details#archive"), "open", ""),
		chromedp.WaitVisible(css("#archive-reason")),
		chromedp.SendKeys(css("#archive-reason"), "Made twice"),
		clearFlash,
		chromedp.Submit(css("#archive-reason")),
		flash("archived. An admin can restore it."),
		chromedp.WaitVisible(css("#archived")),
	)
	if text := textOf(t, ctx, "#archived + table"); !strings.Contains(text, title) {
		t.Errorf("the archived items do not list %q: %q", title, text)
	}
	if items, _ := chromedp.Run(ctx, chromedp.Text(`//h2[@id="items"]/following-sibling::*[1]`)); strings.Contains(items, title) {
		t.Errorf("the item is still among the live items")
	}
	if text := textOf(t, ctx, "ol.history"); !strings.Contains(text, fmt.Sprintf("archived “%s”", title)) || !strings.Contains(text, "Made twice") {
		t.Errorf("the history does not name the archived item and why: %q", text)
	}
	step(t, ctx, "restore it",
		clearFlash,
		chromedp.Click(`//h3[@id="archived"]/following-sibling::table[1]//button[text()="Restore"]`),
		flash("restored."),
	)
	if text := textOf(t, ctx, "h1"); text != title {
		t.Errorf("after restoring, the page shows %q, want the item", text)
	}
}
