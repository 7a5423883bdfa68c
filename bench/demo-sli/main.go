// Command demo-sli gives the demo's SLOs SLIs and writes matching SLI
// data for a Prometheus to serve, so that the demo's reviews and
// postmortems show measured budgets and burn charts:
//
//	amends serve --demo --db demo.db            # once, then stop it (or leave it running)
//	go run ./bench/demo-sli --db demo.db --out /tmp/amends-demo-prom
//	prometheus --config.file=/tmp/amends-demo-prom/prometheus.yml \
//	  --storage.tsdb.path=/tmp/amends-demo-prom/data --storage.tsdb.retention.time=10y \
//	  --web.listen-address=127.0.0.1:9090
//	AMENDS_PROMETHEUS_URL=http://127.0.0.1:9090 amends serve --db demo.db
//
// Every SLO of every customer gets the SLI
// demo_http_errors_total / demo_http_requests_total{customer, slo}; the
// counters carry 1000 requests a minute with a little background error
// (a tenth of each SLO's budget), and during each incident the errors
// the impact recorded for it (bad minutes spread over the incident).
// Data runs from --days ago to three hours ago (backfilled blocks must be
// older than Prometheus' head block), one sample every --step.
// promtool writes one block per two hours: a hundred days take minutes.
package main

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/sli/promtest"
)

// operator sees what staff see, as the command line does.
var operator = &models.User{Role: models.RoleAdmin, Email: "demo-sli", Name: "operator"}

func main() {
	db := flag.String("db", "amends.db", "the demo's SQLite database")
	dbURL := flag.String("database-url", "", "or its PostgreSQL URL")
	out := flag.String("out", "/tmp/amends-demo-prom", "where to write the data and the Prometheus configuration")
	days := flag.Int("days", 100, "days of data, back from now")
	step := flag.Duration("step", time.Minute, "time between samples")
	flag.Parse()
	if err := run(context.Background(), database.OpenConfig{SQLitePath: *db, DatabaseURL: *dbURL}, *out, *days, *step); err != nil {
		fmt.Fprintln(os.Stderr, "demo-sli:", err)
		os.Exit(1)
	}
}

// incident is when an incident cost an SLO how many bad minutes.
type incident struct {
	from, to   time.Time
	badMinutes float64
}

func run(ctx context.Context, cfg database.OpenConfig, out string, days int, step time.Duration) error {
	db, err := database.Open(cfg)
	if err != nil {
		return err
	}
	if err := database.CheckSchema(ctx, db); err != nil {
		return err
	}
	store := models.NewStore(db)
	to := time.Now().UTC().Add(-3 * time.Hour).Truncate(time.Hour)
	from := to.AddDate(0, 0, -days)
	customers, err := store.ListCustomers(ctx, operator)
	if err != nil {
		return err
	}
	var series []promtest.Series
	slis := 0
	for _, cu := range customers {
		slos, err := store.ListSLOs(ctx, operator, cu.ID)
		if err != nil {
			return err
		}
		incidents, err := incidentsOf(ctx, store, cu.ID)
		if err != nil {
			return err
		}
		for _, slo := range slos {
			in := models.SLIInput{
				BadQuery:   fmt.Sprintf(`demo_http_errors_total{customer="{{ .Customer }}",slo=%q}`, slo.Name),
				TotalQuery: fmt.Sprintf(`demo_http_requests_total{customer="{{ .Customer }}",slo=%q}`, slo.Name),
			}
			if _, err := store.SetSLI(ctx, cu.ID, slo.ID, in); err != nil {
				return fmt.Errorf("SLI of %s/%s: %w", cu.Slug, slo.Name, err)
			}
			series = append(series, counters(cu.Slug, slo, incidents[slo.ID], from, to, step)...)
			slis++
		}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	data := filepath.Join(out, "data")
	if err := os.RemoveAll(data); err != nil {
		return err
	}
	fmt.Printf("%d SLIs of %d customers, %s to %s: backfilling with promtool (minutes)...\n", slis, len(customers), from.Format(time.RFC3339), to.Format(time.RFC3339))
	_, tool, err := promtest.Binaries()
	if err != nil {
		return err
	}
	if err := promtest.Backfill(tool, series, data); err != nil {
		return err
	}
	conf := filepath.Join(out, "prometheus.yml")
	if err := os.WriteFile(conf, []byte("global:\n  scrape_interval: 1m\n"), 0o644); err != nil {
		return err
	}
	fmt.Printf("Done. Serve the data:\n  prometheus --config.file=%s --storage.tsdb.path=%s --storage.tsdb.retention.time=10y --web.listen-address=127.0.0.1:9090\n"+
		"and point amends at it:\n  AMENDS_PROMETHEUS_URL=http://127.0.0.1:9090 amends serve --db ...\n", conf, data)
	return nil
}

// incidentsOf are the customer's recorded impacts, by SLO.
func incidentsOf(ctx context.Context, store *models.Store, customerID uint) (map[uint][]incident, error) {
	imps, pms, err := store.CustomerImpacts(ctx, operator, customerID)
	if err != nil {
		return nil, err
	}
	out := map[uint][]incident{}
	for _, imp := range imps {
		pm := pms[imp.PostmortemID]
		if pm.StartedAt == nil || pm.ResolvedAt == nil || !pm.ResolvedAt.After(*pm.StartedAt) {
			continue
		}
		out[imp.SLOID] = append(out[imp.SLOID], incident{from: *pm.StartedAt, to: *pm.ResolvedAt, badMinutes: imp.BadMinutes})
	}
	return out, nil
}

// counters are an SLO's request and error counters: 1000 requests a
// minute, errors at a tenth of the budget's rate, and during an incident
// as many more as make its recorded bad minutes.
func counters(slug string, slo models.SLO, incidents []incident, from, to time.Time, step time.Duration) []promtest.Series {
	perStep := 1000 * step.Minutes()
	labels := map[string]string{"customer": slug, "slo": slo.Name}
	total := promtest.Counter("demo_http_requests_total", labels, from, to, step, 0, func(time.Time) float64 { return perStep })
	bad := promtest.Counter("demo_http_errors_total", labels, from, to, step, 0, func(t time.Time) float64 {
		v := perStep * (1 - slo.Target) / 10
		for _, in := range incidents {
			if t.After(in.from) && !t.After(in.to) {
				v += perStep * in.badMinutes / in.to.Sub(in.from).Minutes()
			}
		}
		return v
	})
	return []promtest.Series{total, bad}
}
