package subscribe_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/quotedprintable"
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/notify"
	"github.com/amendsdev/amends/notify/smtptest"
	"github.com/amendsdev/amends/subscribe"
)

// burstEnv runs the subscriptions job and a mail sender on the store's
// clock, with an in-process SMTP server.
type burstEnv struct {
	t      *testing.T
	f      *testdb.Fixture
	job    *subscribe.Job
	sender *notify.Sender
	smtp   *smtptest.Server
	now    time.Time
}

func newBurstEnv(t *testing.T, db *database.DB) *burstEnv {
	f := testdb.NewFixture(t, db)
	e := &burstEnv{t: t, f: f, smtp: smtptest.Start(t), now: time.Now().UTC().Truncate(time.Second).Add(time.Hour)}
	f.Store.SetClock(func() time.Time { return e.now })
	tr, err := notify.NewSMTP(notify.SMTPConfig{URL: e.smtp.URL(), From: "amends@provider.example", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	e.job = subscribe.NewJob(f.Store, "https://amends.example")
	e.sender = &notify.Sender{Outbox: e.job.Outbox, Transport: tr, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := f.Store.Subscribe(t.Context(), f.CustA, models.SubscribeInstant); err != nil {
		t.Fatal(err)
	}
	return e
}

// at runs the job and a flush of the outbox at now+d.
func (e *burstEnv) at(d time.Duration) {
	e.t.Helper()
	e.now = e.now.Add(d)
	if err := e.job.Run(context.Background(), e.now); err != nil {
		e.t.Fatalf("job at +%v: %v", d, err)
	}
	if r := e.sender.Flush(context.Background()); r.Err != nil {
		e.t.Fatalf("flush: %v", r.Err)
	}
}

// mailsAbout is what the SMTP server took for the subscriber about a
// postmortem, with the decoded text.
func (e *burstEnv) mailsAbout(title string) []string {
	var out []string
	for _, m := range e.smtp.Mail() {
		if m.To[0] != e.f.CustA.Email || !strings.HasSuffix(m.Msg.Header.Get("Subject"), ` to "`+title+`"`) {
			continue
		}
		body := m.Body
		if strings.EqualFold(m.Msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(m.Body)))
			if err != nil {
				e.t.Fatal(err)
			}
			body = string(b)
		}
		out = append(out, m.Msg.Header.Get("Subject")+"\n"+body)
	}
	return out
}

func (e *burstEnv) setStatus(it uint, status string) {
	e.t.Helper()
	if _, err := e.f.Store.UpdateItem(e.t.Context(), e.f.SRE, it, models.ItemPatch{Status: models.Some(status)}); err != nil {
		e.t.Fatal(err)
	}
}

// TestFortyChangesAreOneEmail: 40 status changes to ten items of one
// postmortem within 10 s (with changes to an internal-only item among
// them) reach an instant subscriber as exactly one email, about a minute
// after the last, listing the 40 in order with the item titles and
// nothing internal.
func TestFortyChangesAreOneEmail(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newBurstEnv(t, db)
		var items []uint
		for i := range 10 {
			it, err := e.f.Store.CreateItem(t.Context(), e.f.SRE, e.f.SharedA.ID, models.ItemInput{Title: fmt.Sprintf("Burst item %02d", i),
				Owner: models.OwnerProvider, Type: "repair", Priority: "P2", Assignee: "sre@provider.example"})
			if err != nil {
				t.Fatal(err)
			}
			items = append(items, it.ID)
		}
		e.at(2 * time.Minute) // the creations go out in their own email
		before := len(e.mailsAbout("Shared with A"))
		if before != 1 {
			t.Fatalf("the creations made %d emails, want 1", before)
		}

		e.now = e.now.Add(time.Minute)
		var want []string
		for _, status := range []string{models.StatusInProgress, models.StatusBlocked, models.StatusInProgress, models.StatusDone} {
			for i, it := range items {
				e.setStatus(it, status)
				want = append(want, fmt.Sprintf(`"Burst item %02d" on "Shared with A": status changed`, i))
				e.now = e.now.Add(250 * time.Millisecond)
			}
			e.setStatus(e.f.InternalItemA.ID, status) // internal-only: never in the email
		}
		for _, d := range []time.Duration{5 * time.Second, 30 * time.Second, 20 * time.Second} {
			e.at(d)
			if n := len(e.mailsAbout("Shared with A")); n != before {
				t.Fatalf("%d emails %v after the burst began, before a quiet minute: %s", n-before, e.now, e.mailsAbout("Shared with A")[before:])
			}
		}
		e.at(10 * time.Second) // a minute and a bit after the last change
		e.at(10 * time.Minute)
		mails := e.mailsAbout("Shared with A")
		if len(mails) != before+1 {
			t.Fatalf("%d emails about the burst, want exactly 1", len(mails)-before)
		}
		mail := mails[len(mails)-1]
		if !strings.HasPrefix(mail, `amends: 40 changes to "Shared with A"`) {
			t.Errorf("subject: %q", strings.SplitN(mail, "\n", 2)[0])
		}
		pos := 0
		for i, w := range want {
			j := strings.Index(mail[pos:], w)
			if j < 0 {
				t.Fatalf("change %d (%s) missing or out of order in:\n%s", i+1, w, mail)
			}
			pos += j + len(w)
		}
		if n := strings.Count(mail, "\n- "); n != 40 {
			t.Errorf("%d changes listed, want 40", n)
		}
		if strings.Contains(mail, testdb.Marker) || strings.Contains(mail, "Internal-only") {
			t.Errorf("internal item in a customer's email:\n%s", mail)
		}
	})
}

// TestLongBurstsGoOutAfterFiveMinutes: a postmortem that never goes quiet
// still mails every five minutes at the latest, each change exactly once,
// and another postmortem's burst held meanwhile loses nothing.
func TestLongBurstsGoOutAfterFiveMinutes(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newBurstEnv(t, db)
		e.at(2 * time.Minute)
		base := len(e.mailsAbout("Shared with A"))
		statuses := []string{models.StatusInProgress, models.StatusBlocked}
		var first time.Time
		changes := 0
		for step := range 24 { // a change every 30 s for 12 minutes
			if step == 0 {
				first = e.now
			}
			e.setStatus(e.f.ProviderItemA.ID, statuses[step%2])
			changes++
			if step%4 == 1 {
				e.setStatus(e.f.JointItemA.ID, statuses[(step/4)%2]) // another postmortem, now and then
			}
			e.at(30 * time.Second)
			if n := len(e.mailsAbout("Shared with A")); n == base && e.now.Sub(first) > subscribe.MaxHold+subscribe.Settle+time.Minute {
				t.Fatalf("no email %v after the first change of a burst", e.now.Sub(first))
			}
		}
		e.at(10 * time.Minute)
		mails := e.mailsAbout("Shared with A")[base:]
		if len(mails) < 2 || len(mails) > 4 {
			t.Errorf("%d emails for 12 minutes of changes, want one about every five minutes", len(mails))
		}
		listed := 0
		for _, m := range mails {
			listed += strings.Count(m, `"Provider fix for A" on "Shared with A": status changed`)
		}
		if listed != changes {
			t.Errorf("%d changes listed across the emails, want each of %d once", listed, changes)
		}
		joint := 0
		for _, m := range e.mailsAbout("Joint with A") {
			joint += strings.Count(m, `"Acme joint item" on "Joint with A": status changed`)
		}
		if joint != 6 {
			t.Errorf("%d joint-item changes listed, want 6", joint)
		}
	})
}

// TestOverlappingPassesQueueABurstOnce: passes at once, as when a new
// leader takes over while the old one still runs, queue one email per
// burst and lose no change.
func TestOverlappingPassesQueueABurstOnce(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newBurstEnv(t, db)
		e.at(2 * time.Minute)
		base := len(e.mailsAbout("Shared with A"))
		for _, st := range []string{models.StatusInProgress, models.StatusBlocked, models.StatusDone} {
			e.setStatus(e.f.ProviderItemA.ID, st)
			e.now = e.now.Add(time.Second)
		}
		e.now = e.now.Add(2 * time.Minute)
		errs := make(chan error, 4)
		for range 4 {
			go func() { errs <- e.job.Run(context.Background(), e.now) }()
		}
		for range 4 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		e.at(time.Minute)
		mails := e.mailsAbout("Shared with A")[base:]
		if len(mails) != 1 || !strings.HasPrefix(mails[0], `amends: 3 changes to "Shared with A"`) {
			t.Fatalf("%d emails after overlapping passes: %v", len(mails), mails)
		}
	})
}

// TestUpgradeStartsWhereChangeEmailsStopped: on a database whose job sent
// per-change emails up to its cursor, burst emails start after it, and
// nothing before it is mailed again.
func TestUpgradeStartsWhereChangeEmailsStopped(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newBurstEnv(t, db)
		old, err := e.f.Store.EventsAfter(t.Context(), 0, e.now, 10000)
		if err != nil || len(old) == 0 {
			t.Fatalf("fixture events: %d, %v", len(old), err)
		}
		if err := models.SetCursorTx(db.W, "subscriptions", old[len(old)-1].ID); err != nil {
			t.Fatal(err)
		}
		e.setStatus(e.f.ProviderItemA.ID, models.StatusDone)
		e.at(2 * time.Minute)
		var subjects []string
		for _, m := range e.smtp.Mail() {
			subjects = append(subjects, m.Msg.Header.Get("Subject"))
		}
		if len(subjects) != 1 || subjects[0] != `amends: 1 change to "Shared with A"` {
			t.Fatalf("after the upgrade the subscriber got %q, want the one new change", subjects)
		}
	})
}
