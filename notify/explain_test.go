package notify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/notify"
)

// TestDryRunSaysWhoGetsNothingAndWhy: outside working hours in their
// zone, paused, or nothing due, each address that hears of open items but
// gets no note now is named with its reason; those who get one are not.
func TestDryRunSaysWhoGetsNothingAndWhy(t *testing.T) {
	scenarios := []struct {
		name  string
		at    time.Time
		setup func(e *env)
		mails int
		want  map[string][]string // address: what its reason must say
	}{
		{"night in every zone", monday.Add(10 * time.Hour), nil, 0, map[string][]string{
			"sre@provider.example": {"outside working hours", "Mon 20:00 in UTC", "09:00-17:00", "would be in the note"},
			"ops@acme.example":     {"outside working hours", "Mon 21:00 in Europe/Berlin"},
			"ops@bravo.example":    {"outside working hours", "Mon 20:00 in UTC"},
		}},
		{"one address paused", monday, func(e *env) {
			if err := notify.SavePref(context.Background(), e.f.Store, notify.Pref{Email: "sre@provider.example", Paused: true}); err != nil {
				t.Fatal(err)
			}
		}, 2, map[string][]string{
			"sre@provider.example": {"emails paused", "would be in the note"},
		}},
		{"nothing due on a tuesday", monday.AddDate(0, 0, 1), func(e *env) {
			if err := e.db.W.Exec("UPDATE action_items SET due_date = ?", "2027-06-01").Error; err != nil {
				t.Fatal(err)
			}
		}, 1, map[string][]string{ // the fixture's late draft still reaches its owner
			"ops@acme.example":  {"nothing due", "2 open items they hear of", "due in exactly 3 days", "Tuesday in Europe/Berlin", "digest day (monday)"},
			"ops@bravo.example": {"nothing due", "1 open item they hear of"},
		}},
		{"an assignee with no address", monday, func(e *env) {
			if err := e.db.W.Exec("UPDATE action_items SET assignee = ? WHERE id = ?", "Somebody Unknown", e.f.ProviderItemA.ID).Error; err != nil {
				t.Fatal(err)
			}
		}, 3, map[string][]string{
			"Somebody Unknown": {"1 open item", "neither an email address nor the name of a user"},
		}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			e := newEnv(t, testdb.SQLite(t))
			e.now = sc.at
			if sc.setup != nil {
				sc.setup(e)
			}
			r := e.reminder()
			var to []string
			n, skipped, err := r.DryRun(context.Background(), func(emails []notify.Email) error {
				for _, m := range emails {
					to = append(to, m.To)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if n != sc.mails || len(to) != sc.mails {
				t.Errorf("%d emails (%v), want %d", n, to, sc.mails)
			}
			reasons := map[string]string{}
			for _, s := range skipped {
				reasons[s.Email] = s.Reason
			}
			for addr, wants := range sc.want {
				got, ok := reasons[addr]
				if !ok {
					t.Errorf("%s is not among those who get nothing: %v", addr, skipped)
					continue
				}
				for _, w := range wants {
					if !strings.Contains(got, w) {
						t.Errorf("%s: reason %q does not say %q", addr, got, w)
					}
				}
			}
			for _, addr := range to {
				if _, ok := reasons[addr]; ok {
					t.Errorf("%s gets an email and is also said to get nothing", addr)
				}
			}
			if len(skipped) != len(sc.want) {
				t.Errorf("skipped %v, want only %d", skipped, len(sc.want))
			}
			// A dry run stores nothing.
			if listed, err := r.Outbox.List(context.Background(), "", 10); err != nil || len(listed) != 0 {
				t.Errorf("dry run stored %d messages, err %v", len(listed), err)
			}
		})
	}
}
