package sli_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/sli"
	"github.com/amendsdev/amends/sli/promtest"
)

func slo(method string, good, bad string) models.SLO {
	return models.SLO{Name: "availability", Target: 0.999, WindowDays: 28, BudgetingMethod: method,
		SLIGoodQuery: good, SLIBadQuery: bad, SLITotalQuery: `http_requests_total{customer="{{ .Customer }}",job="api"}`}
}

// rateSLO has rate expressions for queries; rate over 1m, which holds
// two samples of the fixture's minute-by-minute counters in Prometheus 2
// (Debian's), whose ranges include both ends.
func rateSLO(method string) models.SLO {
	s := slo(method, "", `sum(rate(http_errors_total{customer="{{ .Customer }}"}[1m]))`)
	s.SLITotalQuery = `sum(rate(http_requests_total{customer="{{ .Customer }}"}[1m]))`
	return s
}

const (
	goodQ = `http_ok_total{customer="{{ .Customer }}"}`
	badQ  = `http_errors_total{customer="{{ .Customer }}"}`
)

// TestMeasureAgainstPrometheus checks every figure against the values
// worked out by hand in the fixture's comment, on a real Prometheus.
func TestMeasureAgainstPrometheus(t *testing.T) {
	m := startMeter(t)
	ctx := context.Background()
	ny, _ := time.LoadLocation("America/New_York")
	julyFrom, julyTo := time.Date(2026, 7, 1, 0, 0, 0, 0, ny), time.Date(2026, 8, 1, 0, 0, 0, 0, ny)
	julyMinutes := julyTo.Sub(julyFrom).Minutes()
	scenarios := []struct {
		name       string
		slo        models.SLO
		from, to   time.Time
		bad, total float64
	}{
		{"incident inside a day, bad query", slo("Occurrences", "", badQ), promtest.IncidentA[0], promtest.IncidentA[1], 3000, 30000},
		{"incident inside a day, good query", slo("Occurrences", goodQ, ""), promtest.IncidentA[0], promtest.IncidentA[1], 3000, 30000},
		{"incident across a counter reset", slo("Occurrences", "", badQ), promtest.IncidentC[0], promtest.IncidentC[1], 200, 20000},
		{"incident across a counter reset, good query", slo("Occurrences", goodQ, ""), promtest.IncidentC[0], promtest.IncidentC[1], 200, 20000},
		{"incident across the month's end in New York", slo("Occurrences", "", badQ), promtest.IncidentB[0], promtest.IncidentB[1], 6000, 120000},
		{"July in New York: A, C and the first hour of B", slo("Occurrences", "", badQ), julyFrom, julyTo, 6200, julyMinutes * 1000},
		{"28 days to July's end", slo("Occurrences", goodQ, ""), julyTo.Add(-28 * 24 * time.Hour), julyTo, 6200, 28 * 1440 * 1000},
		{"bad minutes of A (Timeslices)", slo("Timeslices", "", badQ), promtest.IncidentA[0], promtest.IncidentA[1], 30, 30},
		{"bad minutes of C across the reset (Timeslices)", slo("Timeslices", goodQ, ""), promtest.IncidentC[0], promtest.IncidentC[1], 20, 20},
		{"bad minutes of July (Timeslices)", slo("Timeslices", "", badQ), julyFrom, julyTo, 30 + 20 + 60, julyMinutes},
		{"rate expressions, as OpenSLO files hold them, over two hours around A", rateSLO("Occurrences"),
			promtest.IncidentA[0].Add(-time.Hour), promtest.IncidentA[1].Add(30 * time.Minute), 3000, 120 * 1000},
		{"rate expressions, bad minutes of A (Timeslices)", rateSLO("Timeslices"), promtest.IncidentA[0].Add(-time.Hour), promtest.IncidentA[1].Add(30 * time.Minute), 30, 120},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			ind, err := sli.IndicatorOf(sc.slo, "acme")
			if err != nil {
				t.Fatal(err)
			}
			got, err := m.Measure(ctx, ind, sc.from, sc.to)
			if err != nil {
				t.Fatal(err)
			}
			if !near(got.Bad, sc.bad) || !near(got.Total, sc.total) {
				t.Errorf("measured %g bad of %g, want %g of %g", got.Bad, got.Total, sc.bad, sc.total)
			}
		})
	}

	t.Run("daily burn of July in New York", func(t *testing.T) {
		ind, _ := sli.IndicatorOf(slo("Occurrences", "", badQ), "acme")
		buckets, err := m.Buckets(ctx, ind, julyFrom, julyTo, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		var days []time.Time
		for d := julyFrom; d.Before(julyTo); d = d.AddDate(0, 0, 1) {
			days = append(days, d)
		}
		per := sli.SumByDay(buckets, days)
		want := map[int]float64{10: 3000, 20: 200, 31: 3000}
		for i, v := range per {
			if !near(v, want[i+1]) {
				t.Errorf("July %d: %g bad, want %g", i+1, v, want[i+1])
			}
		}
	})

	t.Run("missing data", func(t *testing.T) {
		ind, _ := sli.IndicatorOf(slo("Occurrences", "", badQ), "globex")
		_, err := m.Measure(ctx, ind, promtest.IncidentA[0], promtest.IncidentA[1])
		var qe *sli.QueryError
		if !errors.As(err, &qe) || qe.Reason != sli.ReasonNoData || qe.Query == "" {
			t.Fatalf("err = %v, want no data with its query", err)
		}
	})

	t.Run("a query the store refuses", func(t *testing.T) {
		s := slo("Occurrences", "", `sum(http_errors_total{customer="{{ .Customer }}"}`)
		ind, _ := sli.IndicatorOf(s, "acme")
		_, err := m.Measure(ctx, ind, promtest.IncidentA[0], promtest.IncidentA[1])
		if sli.Reason(err) != sli.ReasonFailed {
			t.Fatalf("err = %v, want %q", err, sli.ReasonFailed)
		}
	})
}

// near allows for float rounding in Prometheus' arithmetic, nothing more.
func near(got, want float64) bool {
	return math.Abs(got-want) <= 1e-6*math.Max(1, math.Abs(want))
}

func TestUnreachableSource(t *testing.T) {
	m, err := sli.New(sli.Config{URL: "http://127.0.0.1:1", Timeout: time.Second}, discard())
	if err != nil {
		t.Fatal(err)
	}
	st := m.Status(context.Background(), time.Now())
	if !st.Configured || st.Up || st.Error == "" {
		t.Fatalf("status = %+v, want configured and down with the error", st)
	}
	ind, _ := sli.IndicatorOf(slo("Occurrences", "", badQ), "acme")
	_, err = m.Measure(context.Background(), ind, promtest.IncidentA[0], promtest.IncidentA[1])
	if sli.Reason(err) != sli.ReasonUnreachable {
		t.Fatalf("err = %v, want %q", err, sli.ReasonUnreachable)
	}
	if (*sli.Meter)(nil).Status(context.Background(), time.Now()).Configured {
		t.Fatal("a nil meter says it is configured")
	}
}
