package reports_test

import (
	"github.com/amendsdev/amends/models/database"

	"bytes"
	"context"
	"io"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/reports"
	"github.com/amendsdev/amends/reports/reporttest"
	"github.com/amendsdev/amends/sli"
	"github.com/amendsdev/amends/sli/promtest"
)

// measuredWorld is acme (in New York) with the incidents of the
// promtest fixture as shared postmortems, and four SLOs: measured by
// events, measured by minutes, one whose SLI has no data, and one without
// an SLI with a typed impact.
type measuredWorld struct {
	store      *models.Store
	admin      *models.User
	cust       *models.Customer
	pmA, pmB   *models.Postmortem
	pmC        *models.Postmortem
	july, june reports.Month
}

const (
	totalQ = `http_requests_total{customer="{{ .Customer }}",job="api"}`
	errQ   = `http_errors_total{customer="{{ .Customer }}"}`
	okQ    = `http_ok_total{customer="{{ .Customer }}"}`
)

func newMeasuredWorld(t *testing.T, db *database.DB) *measuredWorld {
	t.Helper()
	ctx := context.Background()
	s := models.NewStore(db)
	s.SetClock(func() time.Time { return time.Date(2026, 8, 10, 12, 0, 0, 0, time.UTC) })
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	w := &measuredWorld{store: s, july: reports.Month{Year: 2026, Mon: time.July}, june: reports.Month{Year: 2026, Mon: time.June}}
	var err error
	w.cust, err = s.CreateCustomer(ctx, models.CustomerInput{Name: "Acme", Slug: "acme", TimeZone: "America/New_York"})
	must(err)
	w.admin, err = s.CreateUser(ctx, models.UserInput{Email: "admin@provider.example", Name: "Ada", Role: models.RoleAdmin, PasswordHash: "x"})
	must(err)
	slos := []models.SLOInput{
		{Name: "availability", Target: 0.999, WindowDays: 28, SLI: models.SLIInput{BadQuery: errQ, TotalQuery: totalQ}},
		{Name: "availability-minutes", Target: 0.999, WindowDays: 28, BudgetingMethod: "Timeslices", SLI: models.SLIInput{GoodQuery: okQ, TotalQuery: totalQ}},
		{Name: "latency", Target: 0.99, WindowDays: 28, SLI: models.SLIInput{BadQuery: errQ, TotalQuery: `no_such_metric_total{customer="{{ .Customer }}"}`}},
		{Name: "manual", Target: 0.999, WindowDays: 28},
	}
	var manual *models.SLO
	for _, in := range slos {
		slo, err := s.CreateSLO(ctx, w.cust.ID, in)
		must(err)
		manual = slo
	}
	pm := func(title string, inc [2]time.Time) *models.Postmortem {
		p, err := s.CreatePostmortem(ctx, w.admin, models.PostmortemInput{Title: title, Visibility: models.VisibilityShared,
			CustomerIDs: []uint{w.cust.ID}, Severity: "SEV2", StartedAt: &inc[0], ResolvedAt: &inc[1],
			ExternalSummary: "What happened to " + title, ExternalImpact: "Some requests failed.",
			ExternalCause: "A configuration change.", ExternalNextSteps: "We are adding a check."})
		must(err)
		p, _, err = s.Publish(ctx, w.admin, p.ID, nil)
		must(err)
		return p
	}
	w.pmA, w.pmB, w.pmC = pm("Checkout errors", promtest.IncidentA), pm("Errors at the month's end", promtest.IncidentB), pm("Errors across a restart", promtest.IncidentC)
	_, err = s.CreateImpact(ctx, w.admin, w.pmA.ID, models.ImpactInput{SLOID: manual.ID, BadMinutes: 10})
	must(err)
	return w
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestMeasuredReview builds July's review of acme against a real
// Prometheus holding the fixture and checks every measured figure
// against the values worked out by hand (promtest's fixture comment).
func TestMeasuredReview(t *testing.T) {
	url := promtest.Start(t, promtest.FixtureSeries())
	meter, err := sli.New(sli.Config{URL: url}, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		w := newMeasuredWorld(t, db)
		ctx := context.Background()
		rv := reports.Reviews{Store: w.store, Meter: meter}
		r, err := rv.BuildFor(ctx, w.admin, w.cust.ID, w.july, reports.AudienceInternal)
		if err != nil {
			t.Fatal(err)
		}
		b := budgets(r)
		if b["availability"].Measured == nil || b["availability-minutes"].Measured == nil {
			t.Fatalf("not measured: %+v; missing %+v", r.Budgets, r.Missing)
		}
		julyEvents := 31 * 1440 * 1000.0
		checks := []struct {
			name      string
			got, want float64
		}{
			{"events: bad in the window", b["availability"].Measured.Window.Bad, 6200},
			{"events: total in the window", b["availability"].Measured.Window.Total, 28 * 1440 * 1000},
			{"events: budget in events", b["availability"].Measured.BudgetEvents, 40320},
			{"events: budget consumed", b["availability"].Measured.ConsumedShare, reports.Round(6200.0/40320, 6)},
			{"events: budget remaining", b["availability"].Measured.RemainingShare, reports.Round(1-6200.0/40320, 6)},
			{"events: July's compliance", b["availability"].Measured.Month.Compliance, reports.Round(1-6200/julyEvents, 6)},
			{"events: the budget's consumed share", b["availability"].ConsumedShare, reports.Round(6200.0/40320, 6)},
			{"minutes: bad minutes in the window", b["availability-minutes"].Measured.Window.Bad, 110},
			{"minutes: consumed minutes", b["availability-minutes"].ConsumedMinutes, 110},
			{"minutes: budget consumed", b["availability-minutes"].Measured.ConsumedShare, reports.Round(110/40.32, 6)},
			{"July 10 burn", day(b["availability"], "2026-07-10").Bad, 3000},
			{"July 20 burn", day(b["availability"], "2026-07-20").Bad, 200},
			{"July 31 burn (New York)", day(b["availability"], "2026-07-31").Bad, 3000},
			{"July 11 burn", day(b["availability"], "2026-07-11").Bad, 0},
			{"incident A", cost(t, r, w.pmA.ID, "availability").Bad, 3000},
			{"incident B, whole", cost(t, r, w.pmB.ID, "availability").Bad, 6000},
			{"incident B's share", cost(t, r, w.pmB.ID, "availability").BudgetShare, reports.Round(6000.0/40320, 6)},
			{"incident C across the restart", cost(t, r, w.pmC.ID, "availability").Bad, 200},
			{"incident C in minutes", cost(t, r, w.pmC.ID, "availability-minutes").Bad, 20},
			{"the hand-recorded SLO keeps its minutes", b["manual"].ConsumedMinutes, 10},
			{"worst share headline", r.Counts.WorstBudgetShare, reports.Round(110/40.32, 6)},
		}
		for _, c := range checks {
			if math.Abs(c.got-c.want) > 1e-6 {
				t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
			}
		}
		if len(b["availability"].Measured.Daily) != 31 {
			t.Errorf("daily burn has %d days, want July's 31", len(b["availability"].Measured.Daily))
		}
		if b["manual"].Source != reports.SourceRecorded || b["latency"].Source != reports.SourceRecorded || b["availability"].Source != reports.SourceMeasured {
			t.Errorf("sources: manual %q, latency %q, availability %q", b["manual"].Source, b["latency"].Source, b["availability"].Source)
		}
		if !hasMissing(r, "latency", sli.ReasonNoData) {
			t.Errorf("missing = %+v, want latency's figures missing for no data", r.Missing)
		}
		renderAll(t, r, []string{"Measured from the SLIs", "recorded by hand", "Figures missing", "Daily budget burn"})

		cr, err := rv.Build(ctx, w.admin, w.cust.ID, w.july)
		if err != nil {
			t.Fatal(err)
		}
		if !hasMissing(cr, "latency", sli.Unavailable) || hasMissing(cr, "latency", sli.ReasonNoData) {
			t.Errorf("customer's missing figures = %+v, want only %q", cr.Missing, sli.Unavailable)
		}
		for _, format := range []string{"md", "html", "json", "csv", "pdf"} {
			text := render(t, cr, format)
			for _, leak := range []string{"http_errors_total", "no_such_metric", sli.ReasonNoData} {
				if strings.Contains(text, leak) {
					t.Errorf("customer's %s review shows %q", format, leak)
				}
			}
		}
		issueFreezes(t, w, rv)
	})
}

// issueFreezes issues July with the data source up, then reads it back
// while the data source is down: the issued figures stay; and June issues
// with the source down, its figures said missing.
func issueFreezes(t *testing.T, w *measuredWorld, rv reports.Reviews) {
	ctx := context.Background()
	out, err := rv.Issue(ctx, w.admin, w.cust.ID, w.july, reports.IssueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	down, err := sli.New(sli.Config{URL: "http://127.0.0.1:1", Timeout: time.Second}, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	rvDown := reports.Reviews{Store: w.store, Meter: down}
	live, err := rvDown.Build(ctx, w.admin, w.cust.ID, w.july)
	if err != nil {
		t.Fatalf("a review with the data source down: %v", err)
	}
	if budgets(live)["availability"].Measured != nil || !hasMissing(live, "availability", sli.Unavailable) {
		t.Errorf("with the source down the live review shows %+v, missing %+v", budgets(live)["availability"], live.Missing)
	}
	issued, _, err := reports.LoadIssued(ctx, w.store, w.admin, out.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m := budgets(issued)["availability"].Measured; m == nil || m.Window.Bad != 6200 {
		t.Errorf("issued July lost its measured figures: %+v", m)
	}
	if _, err := rvDown.Issue(ctx, w.admin, w.cust.ID, w.june, reports.IssueOptions{}); err != nil {
		t.Errorf("issuing with the data source down: %v", err)
	}
}

func budgets(r *reports.Review) map[string]reports.Budget {
	out := map[string]reports.Budget{}
	for _, b := range r.Budgets {
		out[b.SLO] = b
	}
	return out
}

func day(b reports.Budget, date string) reports.DayBurn {
	for _, d := range b.Measured.Daily {
		if d.Date == date {
			return d
		}
	}
	return reports.DayBurn{Bad: math.NaN()}
}

func cost(t *testing.T, r *reports.Review, pmID uint, slo string) reports.MeasuredCost {
	t.Helper()
	for _, in := range r.Incidents {
		for _, imp := range in.Impacts {
			if in.ID == pmID && imp.SLOName == slo && imp.Measured != nil {
				return *imp.Measured
			}
		}
	}
	t.Errorf("no measured cost of postmortem %d on %s", pmID, slo)
	return reports.MeasuredCost{}
}

func hasMissing(r *reports.Review, slo, reason string) bool {
	for _, m := range r.Missing {
		if m.SLO == slo && m.Reason == reason {
			return true
		}
	}
	return false
}

func render(t *testing.T, r *reports.Review, format string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := reports.Render(&buf, r, format); err != nil {
		t.Fatalf("render %s: %v", format, err)
	}
	if format == "pdf" {
		text, err := reporttest.PDFText(buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		return text
	}
	return buf.String()
}

// renderAll renders every format and finds the measured parts in those
// meant for reading.
func renderAll(t *testing.T, r *reports.Review, want []string) {
	t.Helper()
	for _, format := range []string{"md", "html", "pdf", "csv", "json"} {
		text := render(t, r, format)
		if format == "csv" || format == "json" {
			continue
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s review lacks %q", format, w)
			}
		}
	}
	if !strings.Contains(render(t, r, "html"), "Daily budget burn: availability") {
		t.Error("html review has no burn chart")
	}
}
