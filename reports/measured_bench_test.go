package reports_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/reports"
	"github.com/amendsdev/amends/sli"
	"github.com/amendsdev/amends/sli/promtest"
)

// BenchmarkMeasuredReviews measures July's review of 200 customers with
// 3 SLIs each, against a real Prometheus holding an hourly request and
// error counter per customer and SLO (1200 series) and one incident per
// customer: one op is every customer's review, one after the other as the
// drafts job builds them, each review's queries running at once within
// the meter's limit (4). It reports the queries an op sent; "recorded"
// builds the same reviews without a data source.
//
//	go test ./reports -run '^$' -bench MeasuredReviews -benchtime 1x
func BenchmarkMeasuredReviews(b *testing.B) {
	const customers, slisEach = 200, 3
	from, to := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC), time.Date(2026, 8, 1, 12, 0, 0, 0, time.UTC)
	incident := func(i int) [2]time.Time {
		start := time.Date(2026, 7, 1+i%28, 10, 0, 0, 0, time.UTC)
		return [2]time.Time{start, start.Add(2 * time.Hour)}
	}
	var series []promtest.Series
	for c := range customers {
		inc := incident(c)
		for s := range slisEach {
			labels := map[string]string{"customer": slug(c), "slo": fmt.Sprint("slo-", s)}
			series = append(series,
				promtest.Counter("bench_requests_total", labels, from, to, time.Hour, 0, func(time.Time) float64 { return 60000 }),
				promtest.Counter("bench_errors_total", labels, from, to, time.Hour, 0, func(t time.Time) float64 {
					if t.After(inc[0]) && !t.After(inc[1]) {
						return 600
					}
					return 6
				}))
		}
	}
	url := promtest.Start(b, series)
	meter, err := sli.New(sli.Config{URL: url, Concurrency: sli.DefaultConcurrency}, quietLog())
	if err != nil {
		b.Fatal(err)
	}
	store := models.NewStore(testdb.SQLite(b))
	store.SetClock(func() time.Time { return to.Add(24 * time.Hour) })
	ctx := context.Background()
	admin, err := store.CreateUser(ctx, models.UserInput{Email: "admin@provider.example", Name: "Ada", Role: models.RoleAdmin, PasswordHash: "x"})
	if err != nil {
		b.Fatal(err)
	}
	var ids []uint
	for c := range customers {
		cu, err := store.CreateCustomer(ctx, models.CustomerInput{Name: "Customer " + slug(c), Slug: slug(c), TimeZone: "Europe/Berlin"})
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, cu.ID)
		for s := range slisEach {
			q := func(metric string) string {
				return fmt.Sprintf(`%s{customer="{{ .Customer }}",slo="slo-%d"}`, metric, s)
			}
			if _, err := store.CreateSLO(ctx, cu.ID, models.SLOInput{Name: fmt.Sprint("slo-", s), Target: 0.999, WindowDays: 28,
				SLI: models.SLIInput{BadQuery: q("bench_errors_total"), TotalQuery: q("bench_requests_total")}}); err != nil {
				b.Fatal(err)
			}
		}
		inc := incident(c)
		pm, err := store.CreatePostmortem(ctx, admin, models.PostmortemInput{Title: "Errors for " + slug(c), Visibility: models.VisibilityShared,
			CustomerIDs: []uint{cu.ID}, Severity: "SEV2", StartedAt: &inc[0], ResolvedAt: &inc[1],
			ExternalSummary: "Some requests failed for two hours.", ExternalImpact: "Some requests failed.",
			ExternalCause: "A configuration change.", ExternalNextSteps: "We are adding a check."})
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := store.Publish(ctx, admin, pm.ID, nil); err != nil {
			b.Fatal(err)
		}
	}
	july := reports.Month{Year: 2026, Mon: time.July}
	// "recorded" builds the same reviews without measuring: the rest is
	// what measuring costs.
	for _, sc := range []struct {
		name  string
		meter *sli.Meter
	}{{"recorded", nil}, {"measured", meter}} {
		b.Run(sc.name, func(b *testing.B) {
			rv := reports.Reviews{Store: store, Meter: sc.meter}
			sent := meter.Queries()
			for range b.N {
				for _, id := range ids {
					r, err := rv.Build(ctx, admin, id, july)
					if err != nil {
						b.Fatal(err)
					}
					if len(r.Missing) > 0 {
						b.Fatalf("figures missing: %+v", r.Missing)
					}
				}
			}
			b.ReportMetric(float64(meter.Queries()-sent)/float64(b.N), "queries/op")
		})
	}
}

func slug(i int) string { return fmt.Sprintf("customer-%03d", i) }
