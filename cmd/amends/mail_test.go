package main

import (
	"github.com/amendsdev/amends/models/database"

	"bytes"
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/notify/smtptest"
)

// fixtureDB is a migrated SQLite file holding the test fixture.
func fixtureDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "amends.db")
	db, err := database.Open(database.OpenConfig{SQLitePath: path})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := database.Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	testdb.NewFixture(t, db)
	return path
}

// serveWithMail runs serve on db with mail going to an in-process SMTP
// server, until the test ends.
func serveWithMail(t *testing.T, db string) (string, *smtptest.Server) {
	t.Helper()
	mail := smtptest.Start(t)
	t.Setenv("AMENDS_SMTP_URL", mail.URL())
	t.Setenv("AMENDS_MAIL_FROM", "amends@provider.example")
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out, errOut bytes.Buffer
	go func() { done <- run(ctx, []string{"serve", "--db", db, "--addr", addr}, nil, &out, &errOut) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop")
		}
	})
	waitReady(t, "http://"+addr+"/readyz", done)
	return "http://" + addr, mail
}

// TestInvitationLeavesWithinSeconds: a customer admin invites a colleague
// on the portal, and the SMTP server has the invitation within 5 s of the
// form post: the enqueue wakes serve's sender.
func TestInvitationLeavesWithinSeconds(t *testing.T) {
	base, mail := serveWithMail(t, fixtureDB(t))
	admin := newLeakClient(t, base, "admin@acme.example", "")
	admin.login(testdb.Password)
	posted := time.Now()
	a := admin.post("/portal/organisation", "/portal/organisation/invitations", url.Values{"email": {"colleague@acme.example"}})
	if a.status != http.StatusSeeOther {
		t.Fatalf("invite: %d %s", a.status, a.body)
	}
	for time.Since(posted) < 5*time.Second {
		for _, m := range mail.Mail() {
			if m.To[0] == "colleague@acme.example" && strings.Contains(m.Body, "/invite/") {
				t.Logf("invitation accepted by SMTP %v after the form post", time.Since(posted).Round(time.Millisecond))
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no invitation within 5 s of the form post; the server has %d mails", len(mail.Mail()))
}

// TestMailTestButton: an admin sends a test message from the outbox page
// and reads the SMTP server's answer; a refusal is shown as such.
func TestMailTestButton(t *testing.T) {
	base, mail := serveWithMail(t, fixtureDB(t))
	admin := newLeakClient(t, base, "admin@provider.example", "")
	admin.login(testdb.Password)
	a := admin.post("/admin/outbox", "/admin/outbox/test", url.Values{"to": {"ops@provider.example"}})
	if a.status != http.StatusOK || !strings.Contains(string(a.body), "The SMTP server answered") {
		t.Fatalf("test mail: %d %s", a.status, a.body)
	}
	if n := mailsTo(mail, "ops@provider.example", "amends: test message"); n != 1 {
		t.Fatalf("the server got %d test messages", n)
	}
	mail.Refuse = func(int) error { return &smtp.SMTPError{Code: 550, Message: "no such mailbox here"} }
	a = admin.post("/admin/outbox", "/admin/outbox/test", url.Values{"to": {"nobody@provider.example"}})
	if a.status != http.StatusUnprocessableEntity || !strings.Contains(string(a.body), "no such mailbox here") {
		t.Fatalf("refused test mail: %d %s", a.status, a.body)
	}
	viewer := newLeakClient(t, base, "viewer@provider.example", "")
	viewer.login(testdb.Password)
	if a := viewer.post("/postmortems", "/admin/outbox/test", url.Values{"to": {"x@provider.example"}}); a.status != http.StatusForbidden && a.status != http.StatusNotFound {
		t.Errorf("a viewer sent a test mail: %d", a.status)
	}
}

// TestMailTestCommand: `amends mail test` prints the server's answer, or
// fails with its refusal.
func TestMailTestCommand(t *testing.T) {
	mail := smtptest.Start(t)
	t.Setenv("AMENDS_SMTP_URL", mail.URL())
	t.Setenv("AMENDS_MAIL_FROM", "amends@provider.example")
	out, _, err := amends(t, "", "mail", "test", "--to", "ops@provider.example")
	if err != nil || !strings.HasPrefix(out, "accepted: 250") {
		t.Fatalf("mail test: %q, %v", out, err)
	}
	if n := mailsTo(mail, "ops@provider.example", "amends: test message"); n != 1 {
		t.Fatalf("the server got %d test messages", n)
	}
	mail.Refuse = func(int) error { return smtptest.TempFailure }
	if _, _, err := amends(t, "", "mail", "test", "--to", "ops@provider.example"); err == nil || !strings.Contains(err.Error(), "try later") {
		t.Errorf("refused mail test: %v", err)
	}
	t.Setenv("AMENDS_SMTP_URL", "")
	if _, _, err := amends(t, "", "mail", "test", "--to", "ops@provider.example"); err == nil || !strings.Contains(err.Error(), "AMENDS_SMTP_URL") {
		t.Errorf("mail test without SMTP: %v", err)
	}
}

func mailsTo(s *smtptest.Server, to, subject string) int {
	n := 0
	for _, m := range s.Mail() {
		if m.To[0] == to && m.Msg.Header.Get("Subject") == subject {
			n++
		}
	}
	return n
}
