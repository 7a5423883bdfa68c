package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models/testdb"
)

// TestStartPageCountsAreFreshAfterAWrite: on a small database the counts
// are recounted at once after a write, never shown as of earlier.
func TestStartPageCountsAreFreshAfterAWrite(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		cell := regexp.MustCompile(fmt.Sprintf(`customer_id=%d&amp;overdue=true&amp;priority=P0,P1">(\d+)<`, e.f.A.ID))
		startPage := func() (overdueCritical int, body string) {
			t.Helper()
			r := e.page("GET", "/", e.f.Admin.Email, nil)
			body = string(r.Body)
			if r.Status != 200 {
				t.Fatalf("start page: status %d", r.Status)
			}
			if strings.Contains(body, "Counts as of") {
				t.Errorf("start page shows counts of earlier on a small database")
			}
			m := cell.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("no overdue critical count for Acme on the start page:\n%s", body)
			}
			n, _ := strconv.Atoi(m[1])
			return n, body
		}
		before, _ := startPage()
		title := "Rotate the paging key"
		r := e.do("POST", fmt.Sprintf("/api/v1/postmortems/%d/action-items", e.f.SharedA.ID), e.f.SRE.Email, map[string]any{
			"title": title, "description": "It leaked.", "type": "mitigate", "priority": "P0",
			"assignee": "sre@provider.example", "due_date": e.f.Store.Today().AddDays(-1).String(),
		})
		if r.Status != 201 {
			t.Fatalf("create item: status %d: %s", r.Status, r.Body)
		}
		after, body := startPage()
		if after != before+1 {
			t.Errorf("Acme's overdue critical items: %d after adding one to %d", after, before)
		}
		if !strings.Contains(body, title) {
			t.Errorf("the new overdue item is not listed on the start page")
		}
	})
}
