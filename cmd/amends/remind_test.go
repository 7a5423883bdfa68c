package main

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/notify"
	"github.com/amendsdev/amends/notify/smtptest"
)

// TestRemindCommand: against a local SMTP server, one digest per recipient,
// nothing on a second run the same day; --dry-run stores and sends nothing.
func TestRemindCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "amends.db")
	if _, _, err := amends(t, "", "migrate", "--db", path); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	seedOverdue(t, path)
	srv := smtptest.Start(t)
	t.Setenv("AMENDS_SMTP_URL", srv.URL())
	t.Setenv("AMENDS_MAIL_FROM", "amends@provider.example")

	out, _, err := amends(t, "", "remind", "--dry-run", "--db", path)
	if err != nil || !strings.Contains(out, "sre@provider.example") || !strings.Contains(out, "3 emails would be composed") {
		t.Fatalf("dry run: %q, %v", out, err)
	}
	if n := len(srv.Mail()); n != 0 {
		t.Fatalf("dry run sent %d", n)
	}
	out, _, err = amends(t, "", "remind", "--db", path)
	if err != nil || !strings.Contains(out, "sent 3") {
		t.Fatalf("first run: %q, %v", out, err)
	}
	out, _, err = amends(t, "", "remind", "--db", path)
	if err != nil || !strings.Contains(out, "new in outbox 0, sent 0") {
		t.Fatalf("second run: %q, %v", out, err)
	}
	seen := map[string]int{}
	for _, m := range srv.Mail() {
		for _, to := range m.To {
			seen[to]++
		}
	}
	for _, to := range []string{"sre@provider.example", "ops@acme.example", "ops@bravo.example"} {
		if seen[to] != 1 {
			t.Errorf("%s got %d messages, want 1", to, seen[to])
		}
	}
}

// seedOverdue fills the database with the fixture, every item overdue, and
// working hours around the clock so the test passes at any hour.
func seedOverdue(t *testing.T, path string) {
	db, err := database.Open(database.OpenConfig{SQLitePath: path})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f := testdb.NewFixture(t, db)
	due := models.DateOf(time.Now().UTC()).AddDays(-2)
	if err := db.W.Exec("UPDATE action_items SET due_date = ?", due.String()).Error; err != nil {
		t.Fatal(err)
	}
	p := notify.DefaultPolicy()
	p.WorkStartHour, p.WorkEndHour = 0, 24
	if err := f.Store.SaveSetting(context.Background(), f.Admin, notify.PolicySetting, p); err != nil {
		t.Fatal(err)
	}
}

// TestRemindDryRunExplainsSilence: the dry run names who gets nothing now
// and why, here an address whose emails are paused.
func TestRemindDryRunExplainsSilence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "amends.db")
	if _, _, err := amends(t, "", "migrate", "--db", path); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	seedOverdue(t, path)
	db, err := database.Open(database.OpenConfig{SQLitePath: path})
	if err != nil {
		t.Fatal(err)
	}
	err = notify.SavePref(context.Background(), models.NewStore(db), notify.Pref{Email: "sre@provider.example", Paused: true})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := amends(t, "", "remind", "--dry-run", "--db", path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "2 emails would be composed") || !strings.Contains(out, "Nothing now for 1:") ||
		!strings.Contains(out, "  sre@provider.example\treminder\temails paused") {
		t.Errorf("dry run does not explain the paused address:\n%s", out)
	}
}
