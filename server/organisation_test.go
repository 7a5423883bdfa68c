package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/notify"
)

var inviteLink = regexp.MustCompile(`/invite/([A-Za-z0-9_-]{43})`)

// TestInvitationEndToEnd: a customer admin invites a colleague, the email
// waits in the outbox, the colleague joins through its link and is signed
// in; the link then no longer works.
func TestInvitationEndToEnd(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		admin := newBrowser(t, e.srv.Handler())
		if admin.login(e.f.CustAdminA.Email, testdb.Password) != 303 {
			t.Fatal("customer admin sign-in failed")
		}
		form := url.Values{"email": {"nina@acme.example"}, "csrf": {admin.csrf("/portal/organisation")}}
		if status, _, _ := admin.post("/portal/organisation/invitations", form); status != 303 {
			t.Fatalf("invite: %d", status)
		}
		msgs, err := notify.NewOutbox(e.f.Store).List(t.Context(), "", 10)
		if err != nil || len(msgs) != 1 || msgs[0].Kind != "invitation" || msgs[0].Recipient != "nina@acme.example" {
			t.Fatalf("outbox %+v, %v", msgs, err)
		}
		msg, err := notify.NewOutbox(e.f.Store).Get(t.Context(), msgs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		assertNoLeak(t, "invitation email", msg.TextBody)
		m := inviteLink.FindStringSubmatch(msg.TextBody)
		if m == nil {
			t.Fatalf("no invitation link in %q", msg.TextBody)
		}
		_, page, _ := admin.get("/portal/organisation")
		if !strings.Contains(page, "nina@acme.example") || !strings.Contains(page, "Alice Acme") || strings.Contains(page, "Bob Bravo") {
			t.Errorf("organisation page: %s", page)
		}

		nina := newBrowser(t, e.srv.Handler())
		if status, body, _ := nina.get(m[0]); status != 200 || !strings.Contains(body, "nina@acme.example") {
			t.Fatalf("invitation page: %d", status)
		}
		csrf := nina.csrf(m[0])
		if status, _, _ := nina.post(m[0], url.Values{"name": {"Nina"}, "password": {"short"}, "csrf": {csrf}}); status != 400 {
			t.Errorf("short password: %d", status)
		}
		status, _, h := nina.post(m[0], url.Values{"name": {"Nina Acme"}, "password": {"a long enough password"}, "csrf": {csrf}})
		if status != 303 || h.Get("Location") != "/portal" {
			t.Fatalf("accept: %d %v", status, h)
		}
		if status, body, _ := nina.get("/portal"); status != 200 || !strings.Contains(body, "Shared with A") {
			t.Errorf("the new colleague's portal: %d", status)
		}
		again := newBrowser(t, e.srv.Handler())
		if status, body, _ := again.get(m[0]); status != 410 || !strings.Contains(body, "cannot be used") {
			t.Errorf("a used invitation answers %d", status)
		}
		if status, _, _ := again.post(m[0], url.Values{"name": {"X"}, "password": {"a long enough password"}, "csrf": {again.csrf("/login")}}); status != 410 {
			t.Errorf("posting a used invitation answers %d", status)
		}
	})
}
