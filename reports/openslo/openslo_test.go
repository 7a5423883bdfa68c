package openslo_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/reports/openslo"
)

const file = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: api-availability
  displayName: API availability
spec:
  description: Successful requests
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  objectives:
    - target: 0.999
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-latency
spec:
  budgetingMethod: Timeslices
  timeWindow:
    - duration: 4w
      isRolling: true
  objectives:
    - targetPercent: 99.5
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: monthly-uptime
spec:
  timeWindow:
    - duration: 1M
      isRolling: false
      calendar:
        startTime: 2026-01-01 00:00:00
        timeZone: Europe/Berlin
  objectives:
    - target: 0.99
---
apiVersion: openslo/v1
kind: Service
metadata:
  name: payments
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: composite-journey
spec:
  timeWindow:
    - duration: 28d
      isRolling: true
  objectives:
    - target: 0.99
      compositeWeight: 1
      indicatorRef: login
    - target: 0.99
      compositeWeight: 2
      indicatorRef: pay
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: bad-zone
spec:
  timeWindow:
    - duration: 1M
      calendar:
        timeZone: Mars/Olympus
  objectives:
    - target: 0.99
`

func TestParse(t *testing.T) {
	p, err := openslo.Parse(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name, display, method string
		target                float64
		days                  int
		window                string
	}{
		{"api-availability", "API availability", "Occurrences", 0.999, 28, "rolling 28d"},
		{"checkout-latency", "", "Timeslices", 0.995, 28, "rolling 4w"},
		{"monthly-uptime", "", "", 0.99, 30, "calendar 1M from 2026-01-01 00:00:00 in Europe/Berlin"},
	}
	if len(p.SLOs) != len(want) {
		t.Fatalf("got %d SLOs, want %d: %+v", len(p.SLOs), len(want), p.SLOs)
	}
	for i, w := range want {
		got := p.SLOs[i]
		in := got.Input
		if in.Name != w.name || in.DisplayName != w.display || in.BudgetingMethod != w.method ||
			in.WindowDays != w.days || got.Window != w.window || abs(in.Target-w.target) > 1e-12 {
			t.Errorf("SLO %d = %+v (%s), want %+v", i, in, got.Window, w)
		}
	}
	skipped := map[string]string{}
	for _, s := range append(p.Skipped, p.Other...) {
		skipped[s.Name] = s.Reason
	}
	for name, reason := range map[string]string{
		"payments": `kind "Service" is not an SLO`, "composite-journey": "composite SLO",
		"bad-zone": `unknown time zone "Mars/Olympus"`,
	} {
		if !strings.Contains(skipped[name], reason) {
			t.Errorf("skipped[%s] = %q, want it to say %q", name, skipped[name], reason)
		}
	}
}

func TestDurations(t *testing.T) {
	cases := []struct {
		duration string
		days     int
		bad      bool
	}{
		{"28d", 28, false}, {"4w", 28, false}, {"1M", 30, false}, {"1Q", 90, false}, {"1Y", 365, false},
		{"24h", 1, false}, {"1440m", 1, false}, {"36h", 0, true}, {"2Y", 0, true}, {"0d", 0, true}, {"d", 0, true}, {"7x", 0, true},
	}
	for _, c := range cases {
		doc := "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: s}\nspec:\n  timeWindow: [{duration: " + c.duration + "}]\n  objectives: [{target: 0.9}]\n"
		p, err := openslo.Parse(strings.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		if c.bad {
			if len(p.Skipped) != 1 {
				t.Errorf("%s: want it reported as unusable, got %+v", c.duration, p)
			}
			continue
		}
		if len(p.SLOs) != 1 || p.SLOs[0].Input.WindowDays != c.days {
			t.Errorf("%s: got %+v, want %d days", c.duration, p, c.days)
		}
	}
}

func TestParseRejectsBrokenYAML(t *testing.T) {
	if _, err := openslo.Parse(strings.NewReader("kind: SLO\n  bad: [")); err == nil {
		t.Fatal("want an error for broken YAML")
	}
}

func TestImportUpdatesByName(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		ctx := context.Background()
		res, err := openslo.Import(ctx, f.Store, f.SRE, f.A.ID, strings.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Created) != 3 || len(res.Updated) != 0 || len(res.Skipped) != 2 || len(res.Other) != 1 {
			t.Fatalf("first import: %+v", res)
		}
		again := strings.Replace(file, "target: 0.999", "target: 0.9995", 1)
		res, err = openslo.Import(ctx, f.Store, f.SRE, f.A.ID, strings.NewReader(again))
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Created) != 0 || len(res.Updated) != 3 {
			t.Fatalf("re-import: %+v", res)
		}
		slos, err := f.Store.ListSLOs(ctx, f.Admin, f.A.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(slos) != 3 || slos[0].Name != "api-availability" || slos[0].Target != 0.9995 || slos[0].DisplayName != "API availability" {
			t.Fatalf("SLOs after re-import: %+v", slos)
		}
		// Each import is in the audit trail, as whoever uploaded it.
		var events []models.AuditEvent
		if err := db.R.Where("entity_type = ? AND entity_id = ?", models.EntitySLO, slos[0].ID).Order("id").Find(&events).Error; err != nil {
			t.Fatal(err)
		}
		var created, retargeted bool
		for _, e := range events {
			created = created || e.Action == models.ActionCreated && e.Field == "name" && e.Actor == f.SRE.Email
			retargeted = retargeted || e.Action == models.ActionUpdated && e.Field == "target" && e.OldValue == "0.999" && e.NewValue == "0.9995"
		}
		if !created || !retargeted {
			t.Errorf("the imports' audit events: %+v", events)
		}
	})
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
