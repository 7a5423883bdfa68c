package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/demo"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/server"
)

// chrome starts a headless Chromium for a test, or skips the test where
// none is installed. AMENDS_CHROMIUM names another binary.
func chrome(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("AMENDS_CHROMIUM")
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path != "" {
			break
		}
		path, _ = exec.LookPath(name)
	}
	if path == "" {
		t.Skip("no Chromium found (apt-get install -y chromium, or set AMENDS_CHROMIUM); .ci/run installs it")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()), chromedp.Flag("disable-background-networking", true),
		chromedp.WindowSize(1280, 900))
	// Whatever the Content-Security-Policy blocks fails the test: a page
	// that needs an inline script or style, or a remote image, is broken
	// for real users.
	var mu sync.Mutex
	var blocked []string
	cspViolations := chromedp.WithListener(func(ev any) {
		if e, ok := ev.(*cdplog.EventEntryAdded); ok && strings.Contains(e.Entry.Text, "Content Security Policy") {
			mu.Lock()
			blocked = append(blocked, e.Entry.URL+": "+e.Entry.Text)
			mu.Unlock()
		}
	})
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, b := range blocked {
			t.Errorf("blocked by the CSP: %s", b)
		}
	})
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx, cspViolations)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancelTimeout)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium %s: %v", path, err)
	}
	return ctx
}

// step runs browser actions; on failure it leaves a screenshot in the
// test's temp dir and says where.
func step(t *testing.T, ctx context.Context, name string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		file := filepath.Join(t.TempDir(), strings.ReplaceAll(name, " ", "-")+".png")
		shotCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if shot, err2 := chromedp.Run(shotCtx, chromedp.FullScreenshot(80)); err2 == nil && os.WriteFile(file, shot, 0o644) == nil {
			t.Fatalf("%s: %v (screenshot: %s)", name, err, file)
		}
		t.Fatalf("%s: %v (no screenshot could be taken)", name, err)
	}
}

func demoServer(t *testing.T) (*httptest.Server, *demo.Credentials, *models.Store) {
	t.Helper()
	store := models.NewStore(testdb.SQLite(t))
	creds, err := demo.Seed(context.Background(), store)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Config{}, store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, creds, store
}

// TestLeadInTheBrowser: sign in, write a postmortem, add items on both
// sides, change a status, see the start page change, sign out.
func TestLeadInTheBrowser(t *testing.T) {
	ctx := chrome(t)
	ts, creds, _ := demoServer(t)
	signIn(t, ctx, ts.URL, creds.AdminEmail, creds.AdminPassword)
	step(t, ctx, "write a postmortem",
		chromedp.Navigate(ts.URL+"/postmortems/new"),
		chromedp.WaitVisible(css("#title")),
		chromedp.SendKeys(css("#title"), "Search outage from an index rebuild"),
		chromedp.SetValue(css("#severity"), "SEV1"),
		chromedp.SetValue(css("#visibility"), "shared"),
		chromedp.Click(css(`input[name=customer_ids]`)),
		chromedp.SendKeys(css("#summary"), "The nightly rebuild dropped the search index."),
		chromedp.SendKeys(css("#external_summary"), "Search returned no results for 20 minutes."),
		clearFlash,
		chromedp.Submit(css("#title")),
		chromedp.WaitVisible(css("#items")),
	)
	if text := textOf(t, ctx, "h1"); text != "Search outage from an index rebuild" {
		t.Fatalf("after saving, the page shows %q", text)
	}
	addItem := func(title, owner, priority, due string) {
		customer := ""
		if owner == "customer" {
			// The first customer the postmortem names.
			v, err := chromedp.Run(ctx, chromedp.AttributeValue(css("#i-cust option:nth-child(2)"), "value"))
			if err != nil || !v.Exists {
				t.Fatalf("no customer to own the item: %v", err)
			}
			customer = v.Value
		}
		step(t, ctx, "add item "+title,
			chromedp.SetAttributeValue(css("details.panel"), "open", ""),
			chromedp.WaitVisible(css("#i-title")),
			chromedp.SendKeys(css("#i-title"), title),
			chromedp.SetValue(css("#i-owner"), owner),
			chromedp.SetValue(css("#i-cust"), customer),
			chromedp.SetValue(css("#i-prio"), priority),
			chromedp.SetValue(css("#i-due"), due),
			clearFlash,
			chromedp.Submit(css("#i-title")),
			flash("Action item added."),
		)
	}
	addItem("Verify the index before switching to it", "provider", "P0", "2020-01-01")
	addItem("Retry searches that return nothing", "customer", "P2", "2030-01-01")
	text := textOf(t, ctx, "#main")
	for _, want := range []string{"Verify the index before switching to it", "Retry searches that return nothing", "theirs", "overdue"} {
		if !strings.Contains(text, want) {
			t.Errorf("postmortem page lacks %q", want)
		}
	}
	step(t, ctx, "start page lists the new overdue critical item",
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(css("#critical")),
	)
	if text := textOf(t, ctx, "#main"); !strings.Contains(text, "Verify the index before switching to it") {
		t.Errorf("the start page does not list the new P0 item")
	}
	step(t, ctx, "change its status",
		chromedp.Navigate(ts.URL+"/items?priority=P0&status=open"),
		chromedp.WaitVisible(css("#bulk-status")),
		chromedp.Click(`//a[text()="Verify the index before switching to it"]`),
		chromedp.WaitVisible(css("#status")),
		chromedp.SetValue(css("#status"), "done"),
		clearFlash,
		chromedp.Submit(css("#status")),
		flash("Action item updated."),
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(css("#critical")),
	)
	if text := textOf(t, ctx, "#main"); strings.Contains(text, "Verify the index before switching to it") {
		t.Errorf("the start page still lists the item after it was done")
	}
	step(t, ctx, "sign out",
		chromedp.Click(css(`header.top button[type=submit]`)),
		chromedp.WaitVisible(css("#email")),
	)
}

func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

// flash waits for the flash message that contains text. It first removes
// the messages on the page now, so that it never reads the previous page's.
func flash(text string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(fmt.Sprintf(`//p[contains(@class,"flash")][contains(., %q)]`, text))
}

// clearFlash removes the flash messages of the current page.
var clearFlash = chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelectorAll(".flash").forEach(e => e.remove()); true`))
	return err
})

// textOf reads the visible text of the first element matching sel.
func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	text, err := chromedp.Run(ctx, chromedp.Text(css(sel)))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return text
}

// TestEveryFormInTheBrowser uses the forms the first test does not: edit a
// postmortem, record an SLO impact, filter and bulk-change items, comment,
// and the customer pages and the error page.
func TestEveryFormInTheBrowser(t *testing.T) {
	ctx := chrome(t)
	ts, creds, _ := demoServer(t)
	signIn(t, ctx, ts.URL, creds.AdminEmail, creds.AdminPassword)
	step(t, ctx, "edit a postmortem",
		chromedp.Navigate(ts.URL+"/postmortems?q=certificate"),
		chromedp.Click(`//a[text()="Shipment API errors after a certificate rotation"]`),
		chromedp.WaitVisible(css("#impacts")),
		chromedp.Click(`//a[text()="Edit"]`),
		chromedp.WaitVisible(css("#went_well")),
		chromedp.SendKeys(css("#went_well"), "\n- The status page was updated early."),
		clearFlash,
		chromedp.Submit(css("#title")),
		flash("Postmortem saved."),
	)
	if text := textOf(t, ctx, "#main"); !strings.Contains(text, "The status page was updated early.") || !strings.Contains(text, "Postmortem saved.") {
		t.Errorf("the saved postmortem does not show the edit")
	}
	slo, err := chromedp.Run(ctx, chromedp.AttributeValue(`//select[@id="slo"]/option[text()="Tracking page latency"]`, "value"))
	if err != nil || !slo.Exists {
		t.Fatalf("no tracking-latency SLO to choose: %v", err)
	}
	step(t, ctx, "record an SLO impact",
		chromedp.SetValue(css("#slo"), slo.Value),
		chromedp.SendKeys(css("#bad"), "7"),
		clearFlash,
		chromedp.Submit(css("#bad")),
		flash("Impact recorded."),
	)
	if text := textOf(t, ctx, ".flash"); text != "Impact recorded." {
		t.Errorf("recording an impact says %q", text)
	}
	step(t, ctx, "filter and bulk-change items",
		chromedp.Navigate(ts.URL+"/items"),
		chromedp.WaitVisible(css("#f-owner")),
		chromedp.SetValue(css("#f-owner"), "customer"),
		clearFlash,
		chromedp.Submit(css("#f-owner")),
		chromedp.WaitVisible(css("#bulk-status")),
		chromedp.Click(css("input[data-select-all]")),
		chromedp.SetValue(css("#bulk-status"), "blocked"),
		clearFlash,
		chromedp.Submit(css("#bulk-status")),
		flash("items set to Blocked."),
	)
	if text := textOf(t, ctx, ".flash"); !strings.HasSuffix(text, "items set to Blocked.") {
		t.Errorf("bulk change says %q", text)
	}
	if text := textOf(t, ctx, "tbody"); strings.Contains(text, "open") || strings.Contains(text, "ours") {
		t.Errorf("after the bulk change the customer items show %q", text)
	}
	step(t, ctx, "comment on an item",
		chromedp.Click(css("tbody a")),
		chromedp.WaitVisible(css("#body")),
		chromedp.SendKeys(css("#body"), "Waiting for the customer's change window."),
		clearFlash,
		chromedp.Submit(css("#body")),
		flash("Comment added."),
	)
	if text := textOf(t, ctx, "#main"); !strings.Contains(text, "Waiting for the customer's change window.") {
		t.Errorf("the comment is not shown")
	}
	step(t, ctx, "customer pages",
		chromedp.Navigate(ts.URL+"/customers"),
		chromedp.Click(`//a[text()="Northwind Logistics"]`),
		chromedp.WaitVisible(`//h2[text()="SLOs and error budget"]`),
	)
	if text := textOf(t, ctx, "#main"); !strings.Contains(text, "Shipment API availability") || !strings.Contains(text, "40.32 min") || !strings.Contains(text, "rolling 28 days to") {
		t.Errorf("the customer page lacks its SLO budget: %s", text)
	}
	step(t, ctx, "error page",
		chromedp.Navigate(ts.URL+"/postmortems/999999"),
		chromedp.WaitVisible(css("h1")),
	)
	if text := textOf(t, ctx, "h1"); text != "Not found" {
		t.Errorf("a missing postmortem shows %q", text)
	}
}

// TestEditorChecksAsYouWrite types an address into the customer-facing
// summary and waits for the finding to appear next to it.
func TestEditorChecksAsYouWrite(t *testing.T) {
	ctx := chrome(t)
	ts, creds, _ := demoServer(t)
	signIn(t, ctx, ts.URL, creds.AdminEmail, creds.AdminPassword)
	if text := textOf(t, ctx, "#main"); !strings.Contains(text, "past the 24-hour aim") {
		t.Errorf("the start page does not flag a late draft")
	}
	step(t, ctx, "open the editor of a shared draft",
		chromedp.Click(`//a[text()="Webhook delivery delays after a queue backlog"]`),
		chromedp.WaitVisible(css("#share-check-h")),
		chromedp.Click(`//a[text()="Edit"]`),
		chromedp.WaitVisible(`//div[@id="share-check"]//strong[starts-with(., "Completeness")]`),
		chromedp.SendKeys(css("#external_summary"), " Traffic to 10.20.30.40 was dropped."),
		chromedp.WaitVisible(`//ul[contains(@class,"field-findings")]/li[contains(., "10.20.30.40")]`),
	)
}

// TestCustomerInTheBrowser: a customer signs in, updates an item of its own
// organisation, and sees the provider's item change once staff update it.
func TestCustomerInTheBrowser(t *testing.T) {
	ctx := chrome(t)
	ts, creds, store := demoServer(t)
	signIn(t, ctx, ts.URL, creds.CustomerEmail, creds.CustomerPassword)
	text := textOf(t, ctx, "#main")
	for _, hidden := range []string{"Build pipeline", "Checkout latency", "Ledger write", "Globex", "runbook for manual certificate rollback"} {
		if strings.Contains(text, hidden) {
			t.Errorf("the portal of Northwind shows %q", hidden)
		}
	}
	step(t, ctx, "update an item of our own",
		chromedp.Click(`//a[text()="Upgrade Java 8 integration clients to fetch intermediates"]`),
		chromedp.WaitVisible(css("#status")),
		chromedp.SetValue(css("#status"), "in_progress"),
		clearFlash,
		chromedp.Submit(css("#status")),
		flash("Action item updated."),
	)
	if text := textOf(t, ctx, "#timeline"); text == "" {
		t.Errorf("no timeline heading")
	}
	if text := textOf(t, ctx, "ol.history"); !strings.Contains(text, "Jonas Weber") || !strings.Contains(text, "In progress") {
		t.Errorf("the item's timeline does not show our change: %q", text)
	}
	// Staff close a provider item of the same postmortem.
	lead, err := store.UserByEmail(context.Background(), creds.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	items, _, err := store.ListItems(context.Background(), lead, models.ItemFilter{Owner: "provider", Status: []string{"in_progress"}}, models.Page{})
	if err != nil || len(items) == 0 {
		t.Fatalf("no provider item in progress: %v", err)
	}
	var provider *models.ActionItem
	for i := range items {
		if strings.HasPrefix(items[i].Title, "Validate full certificate chain") {
			provider = &items[i]
		}
	}
	if provider == nil {
		t.Fatal("the demo's certificate item is gone")
	}
	if _, err := store.UpdateItem(context.Background(), lead, provider.ID, models.ItemPatch{Status: models.Some(models.StatusDone)}); err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "see the provider's item change",
		chromedp.Navigate(ts.URL+fmt.Sprintf("/portal/items/%d", provider.ID)),
		chromedp.WaitVisible(css("#timeline")),
	)
	if text := textOf(t, ctx, "#main"); !strings.Contains(text, "Done") || !strings.Contains(text, "provider") || strings.Contains(text, "sam@amends.example") {
		t.Errorf("the provider's item as the customer sees it: %q", text)
	}
}

// TestReviewsInTheBrowser imports SLOs from an OpenSLO file, opens last
// month's review, issues it and sends it to the customer's contacts.
func TestReviewsInTheBrowser(t *testing.T) {
	ctx := chrome(t)
	ts, creds, store := demoServer(t)
	file := filepath.Join(t.TempDir(), "slos.yaml")
	os.WriteFile(file, []byte(`apiVersion: openslo/v1
kind: SLO
metadata:
  name: search-latency
  displayName: Search latency
spec:
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  objectives:
    - targetPercent: 99.5
`), 0o644)
	north, err := store.CustomerBySlug(context.Background(), "northwind")
	if err != nil {
		t.Fatal(err)
	}
	last := time.Now().In(time.UTC).AddDate(0, -1, 0).Format("2006-01")
	signIn(t, ctx, ts.URL, creds.AdminEmail, creds.AdminPassword)
	step(t, ctx, "import OpenSLO",
		chromedp.Navigate(fmt.Sprintf("%s/customers/%d", ts.URL, north.ID)),
		chromedp.WaitVisible(css("#openslo")),
		chromedp.SetUploadFiles(css("#openslo"), []string{file}),
		clearFlash,
		chromedp.Submit(css("#openslo")),
		flash("OpenSLO import: 1 created, 0 updated."),
	)
	if text := textOf(t, ctx, "#main"); !strings.Contains(text, "Search latency") {
		t.Errorf("the imported SLO is not listed")
	}
	step(t, ctx, "open and issue last month's review",
		chromedp.Click(fmt.Sprintf(`//a[text()=%q]`, last)),
		chromedp.WaitVisible(`//button[text()="Issue this review"]`),
		clearFlash,
		chromedp.Click(`//button[text()="Issue this review"]`),
		flash("Review issued"),
		chromedp.Navigate(fmt.Sprintf("%s/customers/%d#reviews", ts.URL, north.ID)),
		chromedp.WaitVisible(`//button[text()="Email to the contacts"]`),
		clearFlash,
		chromedp.Click(`//button[text()="Email to the contacts"]`),
		flash("Review queued for 2 contact(s)."),
	)
}

// signIn signs in through the login form and waits for a signed-in page.
func signIn(t *testing.T, ctx context.Context, base, email, password string) {
	t.Helper()
	step(t, ctx, "sign in as "+email,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(css("#email")),
		chromedp.SendKeys(css("#email"), email),
		chromedp.SendKeys(css("#password"), password),
		chromedp.Submit(css("#password")),
		chromedp.WaitVisible(css("header.top")),
	)
}
