package openslo_test

import (
	"os"
	"strings"
	"testing"

	"github.com/amendsdev/amends/reports/openslo"
)

// TestBothShapesAsTheToolsWriteThem reads the list form (what oslo and the
// Go SDK write) and the multi-document form, and one file mixing them:
// every v1 SLO is read with its figures, each objective of a multi-
// objective SLO becomes its own SLO, a calendar window keeps its period,
// start and zone, refused SLOs and other kinds are named with a reason.
func TestBothShapesAsTheToolsWriteThem(t *testing.T) {
	type slo struct {
		name, display, calendar, start, zone string
		target                               float64
		days                                 int
	}
	cases := []struct {
		file    string
		slos    []slo
		refused map[string]string // name → part of the reason
		other   []string
	}{
		{"testdata/list.yaml", []slo{
			{"checkout-availability", "Checkout availability", "", "", "", 0.995, 28},
			{"search-latency-fast", "Search latency (Fast)", "1M", "2026-01-01 00:00:00", "Asia/Tokyo", 0.95, 30},
			{"search-latency-usable", "Search latency (Usable)", "1M", "2026-01-01 00:00:00", "Asia/Tokyo", 0.995, 30},
		}, map[string]string{}, []string{"web-shop", "metrics", "checkout-success", "checkout-fast-burn"}},
		{"testdata/multi.yaml", []slo{
			{"api-availability", "API availability", "", "", "", 0.999, 30},
			{"weekly-batch", "Weekly batch runs", "1w", "2026-01-05 00:00:00", "Europe/Paris", 0.99, 7},
		}, map[string]string{"legacy-uptime": `apiVersion "openslo/v1alpha" is not openslo/v1`, "signup-journey": "composite"},
			[]string{"metrics", "on-call"}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			b, err := os.ReadFile(c.file)
			if err != nil {
				t.Fatal(err)
			}
			p, err := openslo.ParseBytes(b)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.SLOs) != len(c.slos) {
				t.Fatalf("read %d SLOs, want %d: %+v", len(p.SLOs), len(c.slos), p.SLOs)
			}
			for i, w := range c.slos {
				in := p.SLOs[i].Input
				if in.Name != w.name || in.DisplayName != w.display || abs(in.Target-w.target) > 1e-12 || in.WindowDays != w.days ||
					in.CalendarDuration != w.calendar || in.CalendarStart != w.start || in.CalendarTimeZone != w.zone {
					t.Errorf("SLO %d = %+v, want %+v", i, in, w)
				}
			}
			if len(p.Skipped) != len(c.refused) {
				t.Errorf("refused %+v, want %v", p.Skipped, c.refused)
			}
			for _, s := range p.Skipped {
				if want, ok := c.refused[s.Name]; !ok || !strings.Contains(s.Reason, want) || s.Document == 0 {
					t.Errorf("refused %+v, want reason with %q and its document", s, want)
				}
			}
			var other []string
			for _, o := range p.Other {
				other = append(other, o.Name)
			}
			if strings.Join(other, ",") != strings.Join(c.other, ",") {
				t.Errorf("other kinds %v, want %v", other, c.other)
			}
		})
	}
	mixed := "- {apiVersion: openslo/v1, kind: SLO, metadata: {name: a}, spec: {timeWindow: [{duration: 7d}], objectives: [{target: 0.9}]}}\n" +
		"---\napiVersion: openslo/v1\nkind: SLO\nmetadata: {name: b}\nspec: {timeWindow: [{duration: 7d}], objectives: [{target: 0.9}]}\n---\n"
	p, err := openslo.ParseBytes([]byte(mixed))
	if err != nil || len(p.SLOs) != 2 || p.SLOs[0].Input.Name != "a" || p.SLOs[1].Input.Name != "b" {
		t.Errorf("a list then a document: %+v, %v", p, err)
	}
}
