package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

// TestArchivedItemVanishesForTheCustomer (issue 20: action items could not
// be deleted or archived): an item archived through the API leaves the
// portal, the customer's API, its changes and history; staff find it on
// the postmortem page, and an admin's restore brings it back everywhere.
func TestArchivedItemVanishesForTheCustomer(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		it, cust := e.f.ProviderItemA, e.f.CustA.Email
		pmPage := fmt.Sprintf("/postmortems/%d", it.PostmortemID)
		portalPM := fmt.Sprintf("/portal/postmortems/%d", it.PostmortemID)
		apiItem := fmt.Sprintf("/api/v1/action-items/%d", it.ID)

		if r := e.page("GET", portalPM, cust, nil); r.Status != 200 || !strings.Contains(string(r.Body), it.Title) {
			t.Fatalf("before: the portal does not show the item: %d", r.Status)
		}
		if r := e.do("DELETE", apiItem, e.f.SRE.Email, map[string]any{"reason": 7}); r.Status != 400 ||
			!strings.Contains(string(r.Body), "reason") {
			t.Fatalf("a reason of the wrong type: %d %s", r.Status, r.Body)
		}
		if r := e.do("DELETE", apiItem, e.f.SRE.Email, map[string]any{"reason": "made twice"}); r.Status != 204 {
			t.Fatalf("archive: %d %s", r.Status, r.Body)
		}

		checks := []struct{ name, method, path string }{
			{"portal postmortem", "page", portalPM},
			{"portal home", "page", "/portal"},
			{"portal item", "page", fmt.Sprintf("/portal/items/%d", it.ID)},
			{"item API", "api", apiItem},
			{"item history API", "api", apiItem + "/history"},
			{"item list API", "api", "/api/v1/action-items"},
			{"postmortem items API", "api", fmt.Sprintf("/api/v1/postmortems/%d/action-items", it.PostmortemID)},
			{"postmortem history API", "api", fmt.Sprintf("/api/v1/postmortems/%d/history", it.PostmortemID)},
		}
		for _, c := range checks {
			var r response
			if c.method == "page" {
				r = e.page("GET", c.path, cust, nil)
			} else {
				r = e.do("GET", c.path, cust, nil)
			}
			if strings.Contains(string(r.Body), it.Title) || strings.Contains(string(r.Body), "made twice") {
				t.Errorf("%s still shows the archived item: %d", c.name, r.Status)
			}
		}
		changes, err := e.f.Store.RecentChanges(ctx, e.f.A.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range changes {
			if ch.EntityType == models.EntityActionItem && ch.EntityID == it.ID {
				t.Errorf("the customer's changes hold the archived item: %+v", ch)
			}
		}

		// Staff find it on the postmortem page; only an admin may restore.
		r := e.page("GET", pmPage, e.f.SRE.Email, nil)
		if !strings.Contains(string(r.Body), "Archived items") || !strings.Contains(string(r.Body), it.Title) ||
			strings.Contains(string(r.Body), fmt.Sprintf("/items/%d/restore", it.ID)) {
			t.Errorf("the SRE's postmortem page does not list the archived item without a restore button")
		}
		r = e.page("GET", pmPage, e.f.Admin.Email, nil)
		if !strings.Contains(string(r.Body), fmt.Sprintf("/items/%d/restore", it.ID)) {
			t.Errorf("the admin's postmortem page has no restore button")
		}
		if r := e.page("POST", fmt.Sprintf("/items/%d/restore", it.ID), e.f.Admin.Email, nil); r.Status != 303 {
			t.Fatalf("restore: %d %s", r.Status, r.Body)
		}
		if r := e.page("GET", portalPM, cust, nil); !strings.Contains(string(r.Body), it.Title) {
			t.Errorf("the restored item is not back in the portal")
		}
	})
}

// TestArchiveFromTheItemPage: the item page's Archive button archives the
// item with its reason, each comment's button archives that comment, and
// the history says so by name.
func TestArchiveFromTheItemPage(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		it, sre := e.f.CustomerItemA, e.f.SRE.Email
		c, err := e.f.Store.AddComment(ctx, e.f.CustA, it.ID, models.CommentInput{Body: "Posted twice by mistake"})
		if err != nil {
			t.Fatal(err)
		}
		itemPage := fmt.Sprintf("/items/%d", it.ID)
		body := string(e.page("GET", itemPage, sre, nil).Body)
		for _, want := range []string{itemPage + "/archive", fmt.Sprintf("%s/comments/%d/archive", itemPage, c.ID)} {
			if !strings.Contains(body, want) {
				t.Errorf("the item page has no form to %s", want)
			}
		}
		if r := e.page("POST", fmt.Sprintf("%s/comments/%d/archive", itemPage, c.ID), sre, nil); r.Status != 303 {
			t.Fatalf("archive comment: %d %s", r.Status, r.Body)
		}
		if r := e.page("GET", fmt.Sprintf("/portal/items/%d", it.ID), e.f.CustA.Email, nil); strings.Contains(string(r.Body), "Posted twice") {
			t.Error("the portal still shows the archived comment")
		}
		form := map[string][]string{"reason": {"superseded by the new runbook"}}
		if r := e.page("POST", itemPage+"/archive", sre, form); r.Status != 303 || !strings.HasPrefix(r.Header.Get("Location"), fmt.Sprintf("/postmortems/%d", it.PostmortemID)) {
			t.Fatalf("archive item: %d %s", r.Status, r.Header.Get("Location"))
		}
		if r := e.page("GET", itemPage, sre, nil); r.Status != 404 {
			t.Errorf("the archived item's page answers %d, want 404", r.Status)
		}
		history, err := e.f.Store.PostmortemHistory(ctx, e.f.Admin, it.PostmortemID)
		if err != nil {
			t.Fatal(err)
		}
		var saw []string
		for _, ev := range history {
			if ev.EntityID == it.ID && ev.Action == models.ActionArchived {
				saw = append(saw, ev.Field+": "+ev.Reason)
			}
		}
		if want := []string{"comment: ", "archived_at: superseded by the new runbook"}; strings.Join(saw, "|") != strings.Join(want, "|") {
			t.Errorf("history: %q, want %q", saw, want)
		}
	})
}
