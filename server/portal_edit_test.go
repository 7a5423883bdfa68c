package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

// TestPortalEditsWhatTheAPILets (issue 20: the portal offered only the
// status and did not show the assignee): a customer user edits title,
// description, assignee, due date and status of its own item from the
// portal, with the API's validation and share check, and reads the
// assignee of its own items only.
func TestPortalEditsWhatTheAPILets(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		cust := e.f.CustA.Email
		own := fmt.Sprintf("/portal/items/%d", e.f.CustomerItemA.ID)
		page := string(e.page("GET", own, cust, nil).Body)
		for _, field := range []string{`name="title"`, `name="description"`, `name="assignee"`, `name="due_date"`, `name="status"`} {
			if !strings.Contains(page, field) {
				t.Errorf("the portal's form lacks %s", field)
			}
		}
		form := url.Values{"title": {"Lower the retry budget"}, "description": {"From 5 to 2 retries."},
			"assignee": {"ops@acme.example"}, "due_date": {"2030-01-31"}, "status": {"in_progress"}}
		if r := e.page("POST", own, cust, form); r.Status != 303 {
			t.Fatalf("save: %d %s", r.Status, r.Body)
		}
		it, err := e.f.Store.GetItem(ctx, e.f.Admin, e.f.CustomerItemA.ID)
		if err != nil {
			t.Fatal(err)
		}
		if it.Title != "Lower the retry budget" || it.Description != "From 5 to 2 retries." || it.Assignee != "ops@acme.example" ||
			it.DueDate == nil || it.DueDate.String() != "2030-01-31" || it.Status != models.StatusInProgress {
			t.Errorf("saved as %+v", it)
		}
		if page := string(e.page("GET", own, cust, nil).Body); !strings.Contains(page, "assigned to ops@acme.example") {
			t.Errorf("the portal does not show the assignee of our own item")
		}
		list := string(e.page("GET", fmt.Sprintf("/portal/postmortems/%d", it.PostmortemID), cust, nil).Body)
		if !strings.Contains(list, "<td>ops@acme.example</td>") {
			t.Errorf("the portal's list of items does not show our own item's assignee")
		}
		if ours, _ := e.f.Store.GetItem(ctx, e.f.Admin, e.f.ProviderItemA.ID); ours.Assignee != "" && strings.Contains(list, ours.Assignee) {
			t.Errorf("the portal's list names the assignee of the provider's item")
		}

		refusals := []struct {
			name   string
			form   url.Values
			status int
			says   string
		}{
			{"a due date in year 1", url.Values{"title": {"Kept"}, "due_date": {"0001-01-01"}}, 400, "must be between 2000-01-01 and 2100-12-31"},
			{"an empty title", url.Values{"title": {""}}, 400, "title"},
			{"the priority", url.Values{"priority": {"P0"}}, 400, "cannot be changed by a customer"},
		}
		for _, sc := range refusals {
			r := e.page("POST", own, cust, sc.form)
			body := string(r.Body)
			if r.Status != sc.status || !strings.Contains(body, sc.says) || !strings.Contains(body, "Not saved") {
				t.Errorf("%s: %d, want %d saying %q", sc.name, r.Status, sc.status, sc.says)
			}
			if v := sc.form.Get("title"); v != "" && !strings.Contains(body, `value="`+v+`"`) {
				t.Errorf("%s: the form lost what was typed", sc.name)
			}
		}

		// The share rule is the API's: a customer's own words are saved,
		// and what the check finds in them is recorded for staff.
		if r := e.page("POST", own, cust, url.Values{"title": {"Block 10.20.30.40 at the edge"}}); r.Status != 303 {
			t.Errorf("a customer's title with an address: %d", r.Status)
		}
		history, err := e.f.Store.ItemHistory(ctx, e.f.Admin, e.f.CustomerItemA.ID)
		if err != nil {
			t.Fatal(err)
		}
		warned := false
		for _, ev := range history {
			warned = warned || ev.Action == models.ActionShareWarning
		}
		if !warned {
			t.Error("no share warning recorded for the customer's title")
		}

		// Our item: no form, and never our assignee's name.
		ours := string(e.page("GET", fmt.Sprintf("/portal/items/%d", e.f.ProviderItemA.ID), cust, nil).Body)
		if strings.Contains(ours, `name="title"`) || strings.Contains(ours, "assigned to") {
			t.Errorf("the portal offers to edit our item, or names its assignee")
		}
		if r := e.page("POST", fmt.Sprintf("/portal/items/%d", e.f.ProviderItemA.ID), cust, url.Values{"title": {"Mine now"}}); r.Status != 404 {
			t.Errorf("a customer saving our item: %d, want 404", r.Status)
		}
	})
}
