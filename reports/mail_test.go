package reports_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/notify"
	"github.com/amendsdev/amends/reports"
)

func TestIssuedReviewGoesToTheContactsOnce(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := testdb.NewFixture(t, db)
		ir, err := reports.Issue(ctx, f.Store, f.SRE, f.A.ID, reports.Month{Year: 2026, Mon: time.March}, reports.IssueOptions{})
		if err != nil {
			t.Fatal(err)
		}
		out := notify.NewOutbox(f.Store)
		for i, want := range []int{1, 0} {
			n, err := reports.EmailIssued(ctx, f.Store, out, f.SRE, ir.ID)
			if err != nil || n != want {
				t.Fatalf("send %d: queued %d, err %v; want %d", i+1, n, err, want)
			}
		}
		msgs, err := out.List(ctx, "", 10)
		if err != nil || len(msgs) != 1 {
			t.Fatalf("outbox %v %v", msgs, err)
		}
		m, err := out.Get(ctx, msgs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if m.Recipient != "ops@acme.example" || !strings.Contains(m.Subject, "2026-03") ||
			!strings.Contains(m.TextBody, "Shared with A") || !strings.Contains(m.HTMLBody, "Shared with A") {
			t.Errorf("review email %s %q", m.Recipient, m.Subject)
		}
		for _, leak := range []string{testdb.Marker, "Bravo", "sre@provider.example"} {
			if strings.Contains(m.TextBody+m.HTMLBody, leak) {
				t.Errorf("the customer's review email holds %q", leak)
			}
		}
		if _, err := reports.EmailIssued(ctx, f.Store, out, f.CustB, ir.ID); err == nil {
			t.Errorf("customer B mailed A's review")
		}
	})
}

func TestLeadsHearTheDraftsAreReadyOncePerMonth(t *testing.T) {
	f := testdb.NewFixture(t, testdb.SQLite(t))
	out := notify.NewOutbox(f.Store)
	ready := []reports.Prepared{{CustomerID: f.B.ID, Customer: "Bravo", Month: "2026-10"}, {CustomerID: f.A.ID, Customer: "Acme", Month: "2026-10"}}
	for i, want := range []int{2, 0} {
		n, err := reports.DraftsReady(context.Background(), f.Store, out, "https://amends.example.com", ready)
		if err != nil || n != want {
			t.Fatalf("pass %d: queued %d, err %v; want %d (admin and SRE)", i+1, n, err, want)
		}
	}
	msgs, _ := out.List(context.Background(), "", 10)
	for _, listed := range msgs {
		m, err := out.Get(context.Background(), listed.ID)
		if err != nil {
			t.Fatal(err)
		}
		if m.Recipient != f.Admin.Email && m.Recipient != f.SRE.Email {
			t.Errorf("drafts mail to %s", m.Recipient)
		}
		if !strings.Contains(m.TextBody, "Acme, 2026-10: https://amends.example.com/customers/") || strings.Index(m.TextBody, "Acme") > strings.Index(m.TextBody, "Bravo") {
			t.Errorf("drafts mail body %q", m.TextBody)
		}
	}
}
