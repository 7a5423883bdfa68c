package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models/testdb"
)

// A body mixing wrong types, bad values and unknown fields names every bad
// field in one answer, on create and patch of items and postmortems.
func TestEveryBadFieldOfAMixedBodyIsNamed(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		sre := e.f.SRE.Email
		items := fmt.Sprintf("/api/v1/postmortems/%d/action-items", e.f.SharedA.ID)
		item := fmt.Sprintf("/api/v1/action-items/%d", e.f.ProviderItemA.ID)
		pm := fmt.Sprintf("/api/v1/postmortems/%d", e.f.SharedA.ID)
		scenarios := []struct {
			name, method, path, body string
			want                     []string
		}{
			{"item create, four kinds", "POST", items,
				`{"title":"Add alerting","type":"fix","priority":1,"customer_visible":"yes","owner":"them"}`,
				[]string{"type", "priority", "customer_visible", "owner"}},
			{"item create, value and date", "POST", items,
				`{"title":"Add alerting","type":"detect","priority":"P9","due_date":"tomorrow"}`,
				[]string{"priority", "due_date"}},
			{"item patch, four kinds", "PATCH", item,
				`{"type":"fix","priority":1,"customer_visible":"yes","owner":"them"}`,
				[]string{"type", "priority", "customer_visible", "owner"}},
			{"item patch, value and date", "PATCH", item,
				`{"priority":"P9","due_date":"tomorrow"}`,
				[]string{"priority", "due_date"}},
			{"item patch, unknown and value", "PATCH", item,
				`{"colour":"red","status":"closed","title":""}`,
				[]string{"colour", "status", "title"}},
			{"postmortem create", "POST", "/api/v1/postmortems",
				`{"title":"DB outage","severity":"SEV9","visibility":"everyone","started_at":"yesterday","owner":"me"}`,
				[]string{"severity", "visibility", "started_at", "owner"}},
			{"postmortem patch", "PATCH", pm,
				`{"severity":"SEV9","status":"done","resolved_at":5,"colour":"red"}`,
				[]string{"severity", "status", "resolved_at", "colour"}},
		}
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				r := e.do(sc.method, sc.path, sre, sc.body)
				if r.Status != 400 {
					t.Fatalf("status %d, want 400: %s", r.Status, r.Body)
				}
				code, fields := r.apiError(t)
				if code != "validation_failed" {
					t.Errorf("code %q", code)
				}
				var named []string
				for k := range fields {
					named = append(named, k)
				}
				slices.Sort(named)
				want := slices.Clone(sc.want)
				slices.Sort(want)
				if !slices.Equal(named, want) {
					t.Errorf("named %v, want exactly %v: %s", named, want, r.Body)
				}
				for _, f := range sc.want {
					if msg, _ := fields[f].(string); strings.TrimSpace(msg) == "" {
						t.Errorf("%s has no message", f)
					}
				}
			})
		}
		// Nothing was written by any of these bodies.
		r := e.do("GET", item, sre, nil)
		if got := r.json(t)["type"]; got == "fix" {
			t.Errorf("a refused patch changed the item: %s", r.Body)
		}
	})
}

// The cap on how many fields an answer names still holds when values are
// checked beside unknown fields.
func TestMixedBodyStillCapsNamedFields(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		var b strings.Builder
		b.WriteString(`{"priority":"P9"`)
		for i := 0; i < 40; i++ {
			fmt.Fprintf(&b, `,"x%02d":1`, i)
		}
		b.WriteString("}")
		r := e.do("PATCH", fmt.Sprintf("/api/v1/action-items/%d", e.f.ProviderItemA.ID), e.f.SRE.Email, b.String())
		if r.Status != 400 {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		_, fields := r.apiError(t)
		if len(fields) != 20 {
			t.Errorf("named %d fields, want the cap of 20", len(fields))
		}
		if !strings.Contains(string(r.Body), "and 21 more fields") {
			t.Errorf("answer does not say how many more: %.300s", r.Body)
		}
	})
}
