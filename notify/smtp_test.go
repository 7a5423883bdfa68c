package notify_test

import (
	"github.com/amendsdev/amends/models/database"

	"fmt"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models/testdb"
)

// TestRemindersOverRealSMTP runs a pass against a real SMTP conversation
// and reads what arrived: one digest per recipient, both parts, links.
func TestRemindersOverRealSMTP(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		res := e.run(e.reminder())
		got := byRecipient(t, e.smtp.Mail())
		want := []string{"ops@acme.example", "ops@bravo.example", "sre@provider.example"}
		if len(got) != len(want) || res.Delivery.Sent != len(want) {
			t.Fatalf("delivered to %v (sent %d), want %v", keys(got), res.Delivery.Sent, want)
		}
		sre := got["sre@provider.example"]
		text, html := parts(t, sre)
		if s := sre.Msg.Header.Get("Subject"); !strings.Contains(s, "overdue critical item") {
			t.Errorf("subject %q", s)
		}
		if u := sre.Msg.Header.Get("List-Unsubscribe"); !strings.HasPrefix(u, "<https://amends.example/notifications/unsubscribe?token=") {
			t.Errorf("List-Unsubscribe %q", u)
		}
		link := fmt.Sprintf("https://amends.example/items/%d", e.f.ProviderItemA.ID)
		for name, body := range map[string]string{"text": text, "html": html} {
			for _, s := range []string{link, "Provider fix for A", "https://amends.example/settings/notifications", "postmortems you own"} {
				if !strings.Contains(body, s) {
					t.Errorf("sre %s part lacks %q:\n%s", name, s, body)
				}
			}
		}
		acme, _ := parts(t, got["ops@acme.example"])
		if !strings.Contains(acme, fmt.Sprintf("https://amends.example/portal/items/%d", e.f.CustomerItemA.ID)) {
			t.Errorf("customer mail lacks the portal link:\n%s", acme)
		}
	})
}

// TestCustomerMailCarriesNoInternalContent plants the fixture's marker in
// every internal field and internal-only item, and searches every byte sent
// to a customer contact for it.
func TestCustomerMailCarriesNoInternalContent(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		// An internal-only item owned by Acme must stay out as well.
		if err := db.W.Exec("UPDATE action_items SET customer_visible = ? WHERE id = ?", false, e.f.JointItemA.ID).Error; err != nil {
			t.Fatal(err)
		}
		e.run(e.reminder())
		got := byRecipient(t, e.smtp.Mail())
		for _, to := range []string{"ops@acme.example", "ops@bravo.example"} {
			m, ok := got[to]
			if !ok {
				t.Fatalf("no mail for %s", to)
			}
			for _, bad := range []string{testdb.Marker, "/items/" + fmt.Sprint(e.f.ProviderItemA.ID), "Acme joint item", "Internal"} {
				if strings.Contains(strings.ReplaceAll(m.Raw, "/portal/items/", ""), bad) {
					t.Errorf("mail to %s contains %q", to, bad)
				}
			}
		}
		text, _ := parts(t, got["ops@acme.example"])
		if !strings.Contains(text, "Acme's own fix") {
			t.Errorf("Acme's own item is missing:\n%s", text)
		}
	})
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestLateSharedPostmortemsRemindTheirOwner: a shared postmortem still a
// draft long after its incident is in its owner's reminder, and in no
// customer's.
func TestLateSharedPostmortemsRemindTheirOwner(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	e.run(e.reminder())
	got := byRecipient(t, e.smtp.Mail())
	text, html := parts(t, got["sre@provider.example"])
	link := fmt.Sprintf("https://amends.example/postmortems/%d", e.f.SharedDraftA.ID)
	for name, body := range map[string]string{"text": text, "html": html} {
		for _, s := range []string{"waiting to be published", "Shared draft for A", "Joint with A", link} {
			if !strings.Contains(body, s) {
				t.Errorf("owner's %s part lacks %q", name, s)
			}
		}
	}
	// The two drafts, shared and joint; the published ones are not late.
	if !strings.Contains(text, "within a day of the fix (2)") {
		t.Errorf("late drafts section:\n%s", text)
	}
	if s := got["sre@provider.example"].Msg.Header.Get("Subject"); !strings.Contains(s, "to publish") {
		t.Errorf("subject %q does not mention the postmortem to publish", s)
	}
	for _, to := range []string{"ops@acme.example", "ops@bravo.example"} {
		if body, _ := parts(t, got[to]); strings.Contains(body, "waiting to be published") {
			t.Errorf("%s is told about drafts", to)
		}
	}
}
