package server_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestNewLeadSetsUpInTheBrowser is the walk as a new SRE lead
// would take it with the demo, by links and forms alone: create a
// customer (after a refused time zone), give it two SLOs, invite a staff
// member, see the invitation in the outbox, change a role; then the
// invited member joins through the link.
func TestNewLeadSetsUpInTheBrowser(t *testing.T) {
	ctx := chrome(t)
	ts, creds, store := demoServer(t)
	signIn(t, ctx, ts.URL, creds.AdminEmail, creds.AdminPassword)
	step(t, ctx, "open the new customer form from the customers list",
		chromedp.Click(`//header//a[text()="Customers"]`),
		chromedp.WaitVisible(`//a[text()="New customer"]`),
		chromedp.Click(`//a[text()="New customer"]`),
		chromedp.WaitVisible(css("#slug")),
		chromedp.SendKeys(css("#name"), "Hooli"),
		chromedp.SendKeys(css("#slug"), "hooli"),
		chromedp.SetValue(css("#time_zone"), "Europe/Atlantis"),
		chromedp.SendKeys(css("#contacts"), "ops@hooli.example"),
		chromedp.Submit(css("#name")),
		chromedp.WaitVisible(css(".field-error")),
	)
	if got := textOf(t, ctx, ".field-error"); !strings.Contains(got, "IANA time zone") {
		t.Errorf("a bad time zone says %q", got)
	}
	if v, err := chromedp.Run(ctx, chromedp.Value(css("#contacts"))); err != nil || v != "ops@hooli.example" {
		t.Errorf("the refused form lost the contacts: %q %v", v, err)
	}
	step(t, ctx, "create the customer",
		chromedp.SetValue(css("#time_zone"), "America/Chicago"),
		clearFlash,
		chromedp.Submit(css("#name")),
		flash("Customer Hooli created."),
	)
	addSLO := func(name, target, window, calendar string) {
		step(t, ctx, "add SLO "+name,
			chromedp.SendKeys(css("#slo-name"), name),
			chromedp.SetValue(css("#slo-target"), target),
			chromedp.SetValue(css("#slo-window"), window),
			chromedp.SendKeys(css("#slo-cal-duration"), calendar),
			clearFlash,
			chromedp.Submit(css("#slo-name")),
			flash("SLO "+name+" added."),
		)
	}
	step(t, ctx, "open the SLOs page from the customer page",
		chromedp.Click(`//a[text()="Add, edit or delete SLOs"]`),
		chromedp.WaitVisible(css("#add-slo")),
	)
	addSLO("api-availability", "0.999", "28", "")
	addSLO("checkout-latency", "0.99", "30", "1M")
	text := textOf(t, ctx, "#slo-list")
	for _, want := range []string{"api-availability", "rolling 28 days", "checkout-latency", "calendar 1M"} {
		if !strings.Contains(text, want) {
			t.Errorf("the SLO list lacks %q: %s", want, text)
		}
	}
	hooli, err := store.CustomerBySlug(context.Background(), "hooli")
	if err != nil || hooli.TimeZone != "America/Chicago" {
		t.Fatalf("the customer as stored: %+v %v", hooli, err)
	}

	step(t, ctx, "invite a staff member from the users page",
		chromedp.Click(`//header//a[text()="Users"]`),
		chromedp.WaitVisible(css("#invite-staff")),
		chromedp.SendKeys(css("#invite-email"), "nora@amends.example"),
		chromedp.SetValue(css("#invite-role"), "viewer"),
		clearFlash,
		chromedp.Submit(css("#invite-email")),
		flash("Invitation for nora@amends.example as viewer is in the outbox"),
	)
	if text := textOf(t, ctx, "#staff-invitations"); !strings.Contains(text, "nora@amends.example as Viewer") {
		t.Errorf("pending invitations: %q", text)
	}
	step(t, ctx, "change a role",
		chromedp.SetValue(`//select[@aria-label="Role of mei@amends.example"]`, "admin"),
		clearFlash,
		chromedp.Submit(`//select[@aria-label="Role of mei@amends.example"]`),
		flash("mei@amends.example is now admin."),
	)
	step(t, ctx, "find the invitation in the outbox",
		chromedp.Click(`//a[text()="outbox"]`),
		chromedp.WaitVisible(`//td[text()="nora@amends.example"]`),
		chromedp.Click(`//tr[td[text()="nora@amends.example"]]//a`),
		chromedp.WaitVisible(css("pre")),
	)
	link := regexp.MustCompile(`/invite/\S+`).FindString(textOf(t, ctx, "pre"))
	if link == "" {
		t.Fatalf("no link in the invitation")
	}
	// The invited member opens the link, once the lead has signed out.
	step(t, ctx, "join as the invited member",
		chromedp.Click(css(`header.top button[type=submit]`)),
		chromedp.WaitVisible(css("#email")),
		chromedp.Navigate(ts.URL+link),
		chromedp.WaitVisible(css(`input[name=name]`)),
		chromedp.SendKeys(css(`input[name=name]`), "Nora Quist"),
		chromedp.SendKeys(css(`input[name=password]`), "a long enough password"),
		chromedp.Submit(css(`input[name=name]`)),
		chromedp.WaitVisible(css("header.top")),
	)
	if who := textOf(t, ctx, ".nav-user"); who != "Nora Quist" {
		t.Errorf("after joining, signed in as %q", who)
	}
	mei, err := store.UserByEmail(context.Background(), "mei@amends.example")
	if err != nil || mei.Role != "admin" {
		t.Errorf("mei's role: %+v %v", mei, err)
	}
}

// TestAdminFormsInTheBrowser uses the admin forms the walk does not: edit
// a customer, edit and delete an SLO, a customer's users (invite its
// administrator, take the flag away, disable), and the settings.
func TestAdminFormsInTheBrowser(t *testing.T) {
	ctx := chrome(t)
	ts, creds, store := demoServer(t)
	north, err := store.CustomerBySlug(context.Background(), "northwind")
	if err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, ts.URL, creds.AdminEmail, creds.AdminPassword)
	step(t, ctx, "edit a customer",
		chromedp.Navigate(fmt.Sprintf("%s/customers/%d", ts.URL, north.ID)),
		chromedp.Click(`//a[text()="Edit customer"]`),
		chromedp.WaitVisible(css("#contacts")),
		appendLine("#contacts", "reviews@northwind.example"),
		clearFlash,
		chromedp.Submit(css("#name")),
		flash("Customer saved."),
	)
	if text := textOf(t, ctx, "#main"); !strings.Contains(text, "reviews@northwind.example") {
		t.Errorf("the customer page lacks the new contact")
	}
	step(t, ctx, "add, edit and delete an SLO",
		chromedp.Click(`//a[text()="Add, edit or delete SLOs"]`),
		chromedp.WaitVisible(css("#add-slo")),
		chromedp.SendKeys(css("#slo-name"), "tracking-freshness"),
		chromedp.SetValue(css("#slo-target"), "0.95"),
		chromedp.SetValue(css("#slo-window"), "7"),
		clearFlash,
		chromedp.Submit(css("#slo-name")),
		flash("SLO tracking-freshness added."),
		chromedp.Click(`//tr[td[contains(., "tracking-freshness")]]//a[text()="Edit"]`),
		chromedp.WaitVisible(css("#slo-display")),
		chromedp.SetValue(css("#slo-display"), "Tracking freshness"),
		clearFlash,
		chromedp.Submit(css("#slo-display")),
		flash("SLO Tracking freshness saved."),
		clearFlash,
		chromedp.Click(`//button[@aria-label="Delete Tracking freshness"]`),
		flash("SLO Tracking freshness deleted."),
	)
	step(t, ctx, "invite a customer administrator",
		chromedp.Navigate(fmt.Sprintf("%s/customers/%d", ts.URL, north.ID)),
		chromedp.Click(`//a[text()="Users and invitations"]`),
		chromedp.WaitVisible(css("#invite-customer-user")),
		chromedp.SendKeys(css("#invite-email"), "lead@northwind.example"),
		chromedp.Click(css(`#invite-customer-user input[name=customer_admin]`)),
		clearFlash,
		chromedp.Submit(css("#invite-email")),
		flash("Invitation for lead@northwind.example is in the outbox."),
	)
	if text := textOf(t, ctx, "#customer-invitations"); !strings.Contains(text, "lead@northwind.example (administrator)") {
		t.Errorf("pending invitations: %q", text)
	}
	step(t, ctx, "take the administrator flag away, give it back, disable the user",
		clearFlash,
		chromedp.Click(`//tr[td[contains(., "ops@northwind.example")]]//button[text()="Remove administrator"]`),
		flash("no longer administers the organisation"),
		clearFlash,
		chromedp.Click(`//tr[td[contains(., "ops@northwind.example")]]//button[text()="Make administrator"]`),
		flash("now administers the organisation"),
		clearFlash,
		chromedp.Click(`//tr[td[contains(., "ops@northwind.example")]]//button[text()="Disable"]`),
		flash("is disabled"),
	)
	if text := textOf(t, ctx, "#customer-users"); !strings.Contains(text, "disabled since") {
		t.Errorf("the disabled user is not shown so: %q", text)
	}
	step(t, ctx, "settings",
		chromedp.Click(`//header//a[text()="Settings"]`),
		chromedp.WaitVisible(css("#due-dates-form")),
		chromedp.SetValue(css("#due_P0"), "0"),
		chromedp.Submit(css("#due_P0")),
		chromedp.WaitVisible(`//form[@id="due-dates-form"]//span[@class="field-error"]`),
		chromedp.SetValue(css("#due_P0"), "10"),
		chromedp.SetValue(css("#due_P2"), "60"),
		clearFlash,
		chromedp.Submit(css("#due_P0")),
		flash("Due-date defaults saved"),
		chromedp.SetValue(css("#digest_day"), "friday"),
		clearFlash,
		chromedp.Submit(css("#digest_day")),
		flash("Reminder policy saved"),
		appendLine("#vendors", "Initrode"),
		clearFlash,
		chromedp.Submit(css("#vendors")),
		flash("Share-check settings saved"),
	)
	days, err := store.DueDays(context.Background())
	if err != nil || days["P0"] != 10 || days["P2"] != 60 {
		t.Errorf("due days: %v %v", days, err)
	}
	st, err := store.ShareCheckSettings(context.Background())
	if err != nil || !strings.Contains(strings.Join(st.Vendors, ","), "Initrode") {
		t.Errorf("vendors: %v %v", st.Vendors, err)
	}
}

// appendLine adds a line at the end of a textarea, as a user would who
// clicks after its last line (SendKeys types at the start).
func appendLine(sel, line string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector(%q).value += "\n" + %q; true`, sel, line)))
		return err
	})
}
