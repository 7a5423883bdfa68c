package notify_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/notify"
)

// outbox reads every message of the outbox with its body, by recipient.
func outbox(t *testing.T, o *notify.Outbox) map[string]*notify.Message {
	t.Helper()
	ctx := context.Background()
	listed, err := o.List(ctx, "", 100_000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*notify.Message{}
	for _, l := range listed {
		if out[l.Recipient] != nil {
			t.Errorf("%s has two messages", l.Recipient)
		}
		if out[l.Recipient], err = o.Get(ctx, l.ID); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestWhoHearsWhen: working hours in the recipient's zone (a saved zone
// first), pause, and the digest on the policy's or the recipient's day.
// Every fixture item is overdue and critical, so every contact and the
// owner of the postmortems have something to hear.
func TestWhoHearsWhen(t *testing.T) {
	tuesday := 2
	tests := []struct {
		name   string
		at     time.Time
		prefs  []notify.Pref
		want   []string
		digest []string // of want, those whose mail lists every open item
	}{
		{"working hours everywhere, the policy's digest day", monday, nil,
			[]string{"ops@acme.example", "ops@bravo.example", "sre@provider.example"},
			[]string{"ops@acme.example", "ops@bravo.example", "sre@provider.example"}},
		{"08:30 in Berlin and 07:30 in UTC", monday.Add(-150 * time.Minute), nil, nil, nil},
		{"16:30 in UTC, 17:30 in Berlin", monday.Add(390 * time.Minute), nil,
			[]string{"ops@bravo.example", "sre@provider.example"}, []string{"ops@bravo.example", "sre@provider.example"}},
		{"paused", monday, []notify.Pref{{Email: "sre@provider.example", Paused: true}},
			[]string{"ops@acme.example", "ops@bravo.example"}, []string{"ops@acme.example", "ops@bravo.example"}},
		{"a saved zone where it is night", monday, []notify.Pref{{Email: "ops@bravo.example", TimeZone: "Asia/Tokyo"}},
			[]string{"ops@acme.example", "sre@provider.example"}, []string{"ops@acme.example", "sre@provider.example"}},
		{"a saved digest day", monday.AddDate(0, 0, 1), []notify.Pref{{Email: "ops@bravo.example", DigestDay: &tuesday}},
			[]string{"ops@acme.example", "ops@bravo.example", "sre@provider.example"}, []string{"ops@bravo.example"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, testdb.SQLite(t))
			e.now = tt.at
			for _, p := range tt.prefs {
				if err := notify.SavePref(context.Background(), e.f.Store, p); err != nil {
					t.Fatal(err)
				}
			}
			r := e.reminder()
			r.Transport = nil
			if res := e.run(r); res.Composed != len(tt.want) || res.Queued != len(tt.want) {
				t.Errorf("composed %d, queued %d; want %d", res.Composed, res.Queued, len(tt.want))
			}
			got := outbox(t, r.Outbox)
			var to, digest []string
			for addr, m := range got {
				to = append(to, addr)
				if strings.Contains(m.TextBody, "All open items") {
					digest = append(digest, addr)
				}
			}
			slices.Sort(to)
			slices.Sort(digest)
			if !slices.Equal(to, tt.want) || !slices.Equal(digest, tt.digest) {
				t.Errorf("mail to %v, digests to %v; want %v and %v", to, digest, tt.want, tt.digest)
			}
		})
	}
}

// TestEscalationIsWeekly: the owner of a postmortem hears of an item once
// it is EscalateAfterDays overdue, then every seventh day.
func TestEscalationIsWeekly(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	e.now = monday.AddDate(0, 0, 1) // not the digest day
	overdue := map[*models.ActionItem]int{
		e.f.ProviderItemA: 7, e.f.ItemB: 8, e.f.CustomerItemA: 14, e.f.JointItemA: 6, e.f.InternalItemA: 21,
		e.f.CustomerItemBOnAB: 0, e.f.InternalPMItem: 13,
	}
	for it, days := range overdue {
		due := models.DateOf(e.now).AddDays(-days)
		if err := e.db.W.Exec("UPDATE action_items SET due_date = ?, priority = ? WHERE id = ?", due.String(), "P3", it.ID).Error; err != nil {
			t.Fatal(err)
		}
	}
	r := e.reminder()
	r.Transport = nil
	e.run(r)
	text := outbox(t, r.Outbox)["sre@provider.example"].TextBody
	_, section, found := strings.Cut(text, "on postmortems you own (3):")
	section, _, _ = strings.Cut(section, "Shared postmortems waiting")
	for it, days := range overdue {
		if listed, want := strings.Contains(section, it.Title), days >= 7 && days%7 == 0; !found || listed != want {
			t.Errorf("%q, %d days overdue: listed %v, want %v\n%s", it.Title, days, listed, want, text)
		}
	}
}

// TestPassInGroups runs a pass over more open items than one read and more
// recipients than one group: each recipient still gets one email that
// lists every item of theirs, and the owner of the postmortem, whose items
// are more than one read, one email listing them all.
func TestPassInGroups(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		const items, assignees = 12_000, 300
		e := newEnv(t, db)
		seedItems(t, db, e.f, items, assignees)
		r := e.reminder()
		r.Transport = nil
		first := e.run(r)
		got := outbox(t, r.Outbox)
		if first.Composed != assignees+3 || first.Queued != assignees+3 || len(got) != assignees+3 {
			t.Fatalf("composed %d, queued %d, in the outbox %d; want %d", first.Composed, first.Queued, len(got), assignees+3)
		}
		for i := range assignees {
			text := got[fmt.Sprintf("eng%d@provider.example", i)].TextBody
			if !strings.Contains(text, fmt.Sprintf("All open items (%d)", items/assignees)) ||
				!strings.Contains(text, fmt.Sprintf("Item %d\n", i+assignees*(items/assignees-1))) {
				t.Fatalf("digest of eng%d:\n%s", i, text)
			}
		}
		var open int64
		if err := db.R.Model(&models.ActionItem{}).Count(&open).Error; err != nil {
			t.Fatal(err)
		}
		if owner := got["sre@provider.example"].TextBody; !strings.Contains(owner, fmt.Sprintf("postmortems you own (%d)", open)) {
			t.Errorf("the owner's escalations are not all there: %.300s", owner)
		}
		if again := e.run(r); again.Composed != first.Composed || again.Queued != 0 {
			t.Errorf("second pass: composed %d, queued %d", again.Composed, again.Queued)
		}
	})
}
