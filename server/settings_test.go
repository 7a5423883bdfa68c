package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models/testdb"
)

func TestAdminsSetTheReminderPolicyAndDueDays(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	admin := e.f.Admin.Email
	if r := e.do("PUT", "/api/v1/settings/reminders", admin, map[string]any{"digest_day": "someday"}); r.Status != 400 {
		t.Errorf("a bad digest day: %d", r.Status)
	}
	r := e.do("PUT", "/api/v1/settings/reminders", admin, map[string]any{"digest_day": "friday", "heads_up_days": 5})
	if r.Status != 200 {
		t.Fatalf("policy: %d %s", r.Status, r.Body)
	}
	got := e.do("GET", "/api/v1/settings/reminders", e.f.SRE.Email, nil).json(t)
	if got["digest_day"] != "friday" || got["heads_up_days"] != 5.0 || got["escalate_after_days"] != 7.0 {
		t.Errorf("policy read back %v; left-out fields keep their defaults", got)
	}
	if r := e.do("PUT", "/api/v1/settings/item-due-days", admin, map[string]int{"P9": 3, "P1": 900}); r.Status != 400 ||
		!strings.Contains(string(r.Body), "P9") || !strings.Contains(string(r.Body), "P1") {
		t.Errorf("bad due days: %d %s", r.Status, r.Body)
	}
	if r := e.do("PUT", "/api/v1/settings/item-due-days", admin, map[string]int{"P2": 10}); r.Status != 200 {
		t.Fatalf("due days: %d %s", r.Status, r.Body)
	}
	it := e.do("POST", fmt.Sprintf("/api/v1/postmortems/%d/action-items", e.f.SharedA.ID), e.f.SRE.Email,
		map[string]any{"title": "Policy", "type": "process", "priority": "P2"}).json(t)
	want := e.f.Store.Today().AddDays(10).String()
	if it["due_date"] != want {
		t.Errorf("a new P2 item is due %v, want %s by the new policy", it["due_date"], want)
	}
	p0 := e.do("POST", fmt.Sprintf("/api/v1/postmortems/%d/action-items", e.f.SharedA.ID), e.f.SRE.Email,
		map[string]any{"title": "Policy", "type": "process", "priority": "P0"}).json(t)
	if p0["due_date"] != nil {
		t.Errorf("P0 is no longer in the policy but got due date %v", p0["due_date"])
	}
}
