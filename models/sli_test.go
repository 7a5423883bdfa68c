package models_test

import (
	"github.com/amendsdev/amends/models/database"

	"errors"
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

// TestSLIQueryTemplates accepts {{ .Customer }} and nothing else, and
// keeps the slug inside the label matcher whatever it holds.
func TestSLIQueryTemplates(t *testing.T) {
	const q = `http_requests_total{customer="{{ .Customer }}"}`
	scenarios := []struct {
		name, query, slug, want, err string
	}{
		{"the slug put in", q, "acme-corp", `http_requests_total{customer="acme-corp"}`, ""},
		{"a quote in the slug stays inside the string", q, `x"} or vector(1) or up{a="`, `http_requests_total{customer="x\"} or vector(1) or up{a=\""}`, ""},
		{"a backslash is escaped", q, `a\`, `http_requests_total{customer="a\\"}`, ""},
		{"no template at all", `up`, "acme", `up`, ""},
		{"another field", `x{c="{{ .Name }}"}`, "acme", "", "may use {{ .Customer }} and nothing else"},
		{"a function", `x{c="{{ printf "%s" .Customer }}"}`, "acme", "", "nothing else"},
		{"a pipeline", `x{c="{{ .Customer | html }}"}`, "acme", "", "nothing else"},
		{"a range", `{{ range . }}x{{ end }}`, "acme", "", "nothing else"},
		{"a variable", `{{ $x := .Customer }}`, "acme", "", "nothing else"},
		{"broken", `x{c="{{ .Customer "}`, "acme", "", "not a valid template"},
		{"outside a label value", `x_{{ .Customer }}_total`, "acme", "", "inside a double-quoted label value"},
		{"after a closed string", `x{a="b",c={{ .Customer }}}`, "acme", "", "inside a double-quoted label value"},
		{"in a regular expression", `x{c=~"{{ .Customer }}-.*"}`, "acme", `x{c=~"acme-.*"}`, ""},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			got, err := models.RenderSLIQuery(sc.query, sc.slug)
			if sc.err != "" {
				if err == nil || !strings.Contains(err.Error(), sc.err) {
					t.Fatalf("err = %v, want %q", err, sc.err)
				}
				return
			}
			if err != nil || got != sc.want {
				t.Fatalf("got %q, %v; want %q", got, err, sc.want)
			}
		})
	}
}

func TestSetSLIAndAdoptMeasuredImpact(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		s := f.Store
		slo, err := s.CreateSLO(ctx, f.A.ID, models.SLOInput{Name: "availability", Target: 0.999, WindowDays: 28})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.SetSLI(ctx, f.A.ID, slo.ID, models.SLIInput{GoodQuery: "good_total", BadQuery: "bad_total"})
		var verr *models.ValidationError
		if !errors.As(err, &verr) || verr.Fields["total_query"] == "" || verr.Fields["bad_query"] == "" {
			t.Fatalf("want total_query and bad_query named, got %v", err)
		}
		if _, err := s.SetSLI(ctx, f.B.ID, slo.ID, models.SLIInput{BadQuery: "b", TotalQuery: "t"}); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("another customer's SLO: err = %v", err)
		}
		in := models.SLIInput{BadQuery: `errors_total{customer="{{ .Customer }}"}`, TotalQuery: `requests_total{customer="{{ .Customer }}"}`}
		if got, err := s.SetSLI(ctx, f.A.ID, slo.ID, in); err != nil || !got.HasSLI() {
			t.Fatalf("set SLI: %+v, %v", got, err)
		}
		// An import without an SLI leaves the one set alone.
		up, _, err := s.UpsertSLO(ctx, f.A.ID, models.SLOInput{Name: "availability", Target: 0.995, WindowDays: 28})
		if err != nil || up.SLI() != in {
			t.Fatalf("upsert lost the SLI: %+v, %v", up, err)
		}

		m := models.MeasuredImpact{SLOID: slo.ID, BadMinutes: 4.5, BadEvents: 3000, TotalEvents: 30000, Queries: "bad: errors_total{customer=\"acme\"}",
			From: time.Date(2026, 3, 1, 13, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 1, 13, 47, 0, 0, time.UTC)}
		if _, err := s.AdoptMeasuredImpact(ctx, f.CustA, f.SharedA.ID, m); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("a customer adopts: err = %v", err)
		}
		if _, err := s.AdoptMeasuredImpact(ctx, f.Viewer, f.SharedA.ID, m); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("a viewer adopts: err = %v", err)
		}
		imp, err := s.AdoptMeasuredImpact(ctx, f.SRE, f.SharedA.ID, m)
		if err != nil || imp.Source != models.ImpactMeasured || imp.BadMinutes != 4.5 || imp.BadEvents != 3000 {
			t.Fatalf("adopt: %+v, %v", imp, err)
		}
		if _, err := s.AdoptMeasuredImpact(ctx, f.SRE, f.SharedA.ID, m); err != nil {
			t.Fatalf("adopt again: %v", err)
		}
		staff, err := s.PostmortemHistory(ctx, f.SRE, f.SharedA.ID)
		if err != nil {
			t.Fatal(err)
		}
		adoptions := 0
		for _, e := range staff {
			if e.Field == "impact" && strings.Contains(e.Reason, "errors_total") && strings.Contains(e.Reason, "2026-03-01T13:00:00Z") &&
				strings.Contains(e.NewValue, "3000 bad of 30000 events") {
				adoptions++
			}
		}
		if adoptions != 1 {
			t.Errorf("history holds %d adoptions with query, window and figure, want 1 (adopting the same figure twice changes nothing)", adoptions)
		}
		cust, err := s.PostmortemHistory(ctx, f.CustA, f.SharedA.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range cust {
			if strings.Contains(e.Reason+e.NewValue+e.OldValue, "errors_total") || e.Field == "impact" {
				t.Errorf("the customer's history shows the adoption: %+v", e)
			}
		}
		// A figure typed over it is recorded by hand again.
		fixed, err := s.UpdateImpact(ctx, f.SRE, f.SharedA.ID, imp.ID, models.ImpactPatch{BadMinutes: models.Opt[float64]{Set: true, V: 5}})
		if err != nil || fixed.Source != models.ImpactRecorded {
			t.Fatalf("typed over measured: %+v, %v", fixed, err)
		}
	})
}
