package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/notify"
)

// TestPagesReadForPeople (issue 20): pages showed raw values (in_progress,
// wont_fix), history lines said "item 12" instead of the item's title, and
// were not in time order.
func TestPagesReadForPeople(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		s, it := e.f.Store, e.f.ProviderItemA
		// Two changes whose clock runs backwards, as the demo's and
		// imported incidents' do: the later-written is the earlier.
		base := time.Now().UTC().Add(-time.Hour)
		s.SetClock(func() time.Time { return base.Add(10 * time.Minute) })
		if _, err := s.UpdateItem(ctx, e.f.SRE, it.ID, models.ItemPatch{Status: models.Some(models.StatusInProgress)}); err != nil {
			t.Fatal(err)
		}
		s.SetClock(func() time.Time { return base })
		if _, err := s.UpdateItem(ctx, e.f.SRE, it.ID, models.ItemPatch{Priority: models.Some("P0")}); err != nil {
			t.Fatal(err)
		}
		s.SetClock(func() time.Time { return time.Now().UTC() })
		if _, err := s.UpdateItem(ctx, e.f.SRE, e.f.ItemB.ID, models.ItemPatch{Status: models.Some(models.StatusWontFix)}); err != nil {
			t.Fatal(err)
		}

		pm := string(e.page("GET", fmt.Sprintf("/postmortems/%d", it.PostmortemID), e.f.SRE.Email, nil).Body)
		history := section(pm, `id="history"`)
		if !strings.Contains(history, "“"+it.Title+"”") {
			t.Errorf("the postmortem's history does not name the item by its title:\n%s", history)
		}
		if regexp.MustCompile(`>item \d+<`).MatchString(history) {
			t.Errorf("the postmortem's history names an item by number:\n%s", history)
		}
		if !strings.Contains(history, "<strong>Status</strong>: Open → In progress") {
			t.Errorf("the history does not read the status change with labels:\n%s", history)
		}
		priority, status := strings.Index(history, "<strong>Priority</strong>"), strings.Index(history, "<strong>Status</strong>: Open → In progress")
		if priority < 0 || status < 0 || priority > status {
			t.Errorf("the history is not in time order: priority at %d, status at %d", priority, status)
		}
		items := string(e.page("GET", "/items?status=wont_fix", e.f.SRE.Email, nil).Body)
		for _, page := range []string{pm, items} {
			for _, raw := range []string{">in_progress<", ">wont_fix<", ">open<"} {
				if strings.Contains(page, raw) {
					t.Errorf("a page shows the raw value %s", raw)
				}
			}
		}
		if !strings.Contains(items, ">Won't fix<") && !strings.Contains(items, ">Won&#39;t fix<") {
			t.Errorf("the items page does not read Won't fix")
		}
		portal := string(e.page("GET", fmt.Sprintf("/portal/items/%d", it.ID), e.f.CustA.Email, nil).Body)
		if !strings.Contains(portal, "In progress") || strings.Contains(portal, "in_progress<") {
			t.Errorf("the portal item page does not read In progress")
		}
	})
}

// section is the page from the element with attr to the end.
func section(page, attr string) string {
	if i := strings.Index(page, attr); i >= 0 {
		return page[i:]
	}
	return ""
}

// TestWarningsAndHeadersRead (issue 20): a budget share of 1,203% got no
// highlight, and the outbox message page showed an empty Headers section.
func TestWarningsAndHeadersRead(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		slo, err := e.f.Store.CreateSLO(ctx, e.f.A.ID, models.SLOInput{Name: "api", Target: 0.999, WindowDays: 1})
		if err != nil {
			t.Fatal(err)
		}
		// 1.44 minutes of budget a day: 40 minutes are 2,778% of it.
		if _, err := e.f.Store.CreateImpact(ctx, e.f.SRE, e.f.SharedA.ID, models.ImpactInput{SLOID: slo.ID, BadMinutes: 40}); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{fmt.Sprintf("/postmortems/%d", e.f.SharedA.ID), fmt.Sprintf("/customers/%d", e.f.A.ID)} {
			body := string(e.page("GET", path, e.f.SRE.Email, nil).Body)
			if !regexp.MustCompile(`<td class="warning">2777\.8%`).MatchString(body) || !strings.Contains(body, "more than the whole budget") {
				t.Errorf("%s does not highlight a share over the whole budget", path)
			}
		}

		if _, err := notify.NewOutbox(e.f.Store).Enqueue(ctx, []notify.Email{{Kind: "invitation", Period: "test",
			To: "new@acme.example", Subject: "You are invited", Text: "Hello"}}); err != nil {
			t.Fatal(err)
		}
		msgs, err := notify.NewOutbox(e.f.Store).List(ctx, "", 10)
		if err != nil || len(msgs) == 0 {
			t.Fatalf("outbox: %v", err)
		}
		body := string(e.page("GET", fmt.Sprintf("/admin/outbox/%d", msgs[0].ID), e.f.Admin.Email, nil).Body)
		headers := section(body, `id="headers"`)
		for _, want := range []string{"<th scope=\"row\">To</th><td>new@acme.example</td>", "<th scope=\"row\">Subject</th><td>You are invited</td>"} {
			if !strings.Contains(headers, want) {
				t.Errorf("the message's headers lack %s:\n%s", want, headers)
			}
		}
	})
}
