package openslo_test

import (
	"os"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/reports/openslo"
)

// TestImportKeepsPrometheusQueries reads the SLIs of ratioMetric
// indicators whose source is Prometheus, by reference or inline, and
// leaves SLOs of other indicators without one.
func TestImportKeepsPrometheusQueries(t *testing.T) {
	list, err := os.ReadFile("testdata/list.yaml")
	if err != nil {
		t.Fatal(err)
	}
	inline := []byte(`apiVersion: openslo/v1
kind: SLO
metadata: {name: api-availability}
spec:
  budgetingMethod: Occurrences
  timeWindow: [{duration: 28d, isRolling: true}]
  objectives: [{target: 0.999}]
  indicator:
    metadata: {name: api-errors}
    spec:
      ratioMetric:
        counter: true
        bad:
          metricSource: {type: Prometheus, spec: {query: 'http_errors_total{customer="{{ .Customer }}"}'}}
        total:
          metricSource: {type: Prometheus, spec: {query: 'http_requests_total{customer="{{ .Customer }}"}'}}
---
apiVersion: openslo/v1
kind: SLO
metadata: {name: datadog-availability}
spec:
  timeWindow: [{duration: 28d, isRolling: true}]
  objectives: [{target: 0.999}]
  indicator:
    spec:
      ratioMetric:
        good: {metricSource: {type: Datadog, spec: {query: 'sum:requests.ok{*}'}}}
        total: {metricSource: {type: Datadog, spec: {query: 'sum:requests{*}'}}}
`)
	scenarios := []struct {
		name, file, slo string
		want            models.SLIInput
	}{
		{"by indicatorRef, source by DataSource", string(list), "checkout-availability", models.SLIInput{
			GoodQuery:  `sum(rate(http_requests_total{route="/checkout",code!~"5.."}[1m]))`,
			TotalQuery: `sum(rate(http_requests_total{route="/checkout"}[1m]))`}},
		{"a threshold metric has no SLI here", string(list), "search-latency-fast", models.SLIInput{}},
		{"inline, bad and total", string(inline), "api-availability", models.SLIInput{
			BadQuery: `http_errors_total{customer="{{ .Customer }}"}`, TotalQuery: `http_requests_total{customer="{{ .Customer }}"}`}},
		{"another data source", string(inline), "datadog-availability", models.SLIInput{}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			p, err := openslo.ParseBytes([]byte(sc.file))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range p.SLOs {
				if s.Input.Name == sc.slo {
					if s.Input.SLI != sc.want {
						t.Errorf("SLI = %+v, want %+v", s.Input.SLI, sc.want)
					}
					return
				}
			}
			t.Fatalf("no SLO %q in %+v", sc.slo, p.SLOs)
		})
	}
}
