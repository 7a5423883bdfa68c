package notify_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/notify"
	"github.com/amendsdev/amends/notify/smtptest"
)

// monday is a Monday, 10:00 UTC (11:00 in Acme's Berlin): working hours
// everywhere in the fixture, and the default digest day.
var monday = time.Date(2027, 1, 4, 10, 0, 0, 0, time.UTC)

type env struct {
	t    *testing.T
	db   *database.DB
	f    *testdb.Fixture
	smtp *smtptest.Server
	now  time.Time
}

// newEnv builds the fixture with every item due two weeks before monday,
// so every critical item is overdue and escalated, and an SMTP server.
func newEnv(t *testing.T, db *database.DB) *env {
	f := testdb.NewFixture(t, db)
	e := &env{t: t, db: db, f: f, smtp: smtptest.Start(t), now: monday}
	f.Store.SetClock(func() time.Time { return e.now })
	if err := db.W.Exec("UPDATE action_items SET due_date = ?", "2026-12-21").Error; err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) reminder() *notify.Reminder {
	tr, err := notify.NewSMTP(notify.SMTPConfig{URL: e.smtp.URL(), From: "amends@provider.example", Timeout: 5 * time.Second})
	if err != nil {
		e.t.Fatal(err)
	}
	return &notify.Reminder{Store: e.f.Store, Outbox: notify.NewOutbox(e.f.Store), Transport: tr, BaseURL: "https://amends.example"}
}

func (e *env) run(r *notify.Reminder) notify.PassResult {
	e.t.Helper()
	res, err := r.RunOnce(context.Background())
	if err != nil {
		e.t.Fatalf("pass: %v", err)
	}
	return res
}

// byRecipient indexes what the server accepted, failing on a second
// message to anyone.
func byRecipient(t *testing.T, mails []smtptest.Mail) map[string]smtptest.Mail {
	t.Helper()
	out := map[string]smtptest.Mail{}
	for _, m := range mails {
		for _, to := range m.To {
			if _, dup := out[to]; dup {
				t.Errorf("%s got two messages", to)
			}
			out[to] = m
		}
	}
	return out
}

// parts decodes the text and HTML parts of a multipart/alternative mail.
func parts(t *testing.T, m smtptest.Mail) (text, html string) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(m.Msg.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		t.Fatalf("content type %q: %v", m.Msg.Header.Get("Content-Type"), err)
	}
	r := multipart.NewReader(strings.NewReader(m.Body), params["boundary"])
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			return text, html
		}
		if err != nil {
			t.Fatal(err)
		}
		var body io.Reader = p
		if p.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
			body = quotedprintable.NewReader(p)
		}
		b, _ := io.ReadAll(body)
		switch ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); ct {
		case "text/plain":
			text = string(b)
		case "text/html":
			html = string(b)
		}
	}
}
