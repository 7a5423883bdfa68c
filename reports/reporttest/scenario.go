// Package reporttest writes a small, hand-worked history for review tests:
// a customer in New York whose first incident started on 31 January local
// time (already 1 February in UTC), and items that change after their
// month ended.
package reporttest

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

// Scenario is the fixture plus the hand-worked history of customer Kilo.
type Scenario struct {
	*testdb.Fixture
	K     *models.Customer
	CustK *models.User
	SLO   *models.SLO // target 0.999 over 30 days: a budget of 43.2 minutes

	// PM1 started 2026-01-31 23:30 New York, 04:30 UTC on 1 February; it
	// cost 21.6 bad minutes (half the budget). PM2 started 2026-02-10 and
	// cost 10.8 (a quarter).
	PM1, PM2 *models.Postmortem

	Failover     *models.ActionItem // PM1, ours, P0, created in January (NY), done 2026-02-03
	Certificates *models.ActionItem // PM1, yours, P1, due 2026-02-15, P2 from 2026-03-05, done 2026-04-02
	Alerting     *models.ActionItem // PM2, ours, P1, renamed on 2026-03-10
	Secret       *models.ActionItem // PM2, ours, P1, internal-only
	Later        *models.ActionItem // PM2, ours, P0, created 2026-03-02
}

// Now is the store's clock once the history is written.
var Now = time.Date(2026, 5, 15, 12, 0, 0, 0, time.UTC)

// at moves the store's clock.
func at(s *models.Store, t time.Time) { s.SetClock(func() time.Time { return t }) }

func utc(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

// New writes the scenario into db and leaves the clock at Now.
func New(t testing.TB, db *database.DB) *Scenario {
	t.Helper()
	ctx := context.Background()
	f := testdb.NewFixture(t, db)
	sc := &Scenario{Fixture: f}
	s := f.Store
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("scenario: %v", err)
		}
	}
	var err error
	at(s, utc(2026, 1, 2, 9, 0))
	sc.K, err = s.CreateCustomer(ctx, models.CustomerInput{Name: "Kilo", Slug: "kilo", TimeZone: "America/New_York"})
	must(err)
	sc.CustK, err = s.CreateUser(ctx, models.UserInput{Email: "user@kilo.example", Name: "Kim Kilo", Role: models.RoleCustomer, CustomerSlug: "kilo", Password: "correct horse battery"})
	must(err)
	sc.SLO, err = s.CreateSLO(ctx, sc.K.ID, models.SLOInput{Name: "api-availability", Target: 0.999, WindowDays: 30})
	must(err)
	sc.PM1 = sc.incident(t, "Login outage", utc(2026, 2, 1, 4, 30), 21.6)
	sc.Failover = sc.item(t, sc.PM1, utc(2026, 2, 1, 4, 50), "Add failover for the login service", "P0", false, true)
	sc.Certificates = sc.item(t, sc.PM1, utc(2026, 2, 1, 6, 0), "Rotate client certificates", "P1", true, true)
	sc.PM2 = sc.incident(t, "Checkout errors", utc(2026, 2, 10, 12, 0), 10.8)
	sc.Alerting = sc.item(t, sc.PM2, utc(2026, 2, 10, 14, 0), "Alert on checkout error rate", "P1", false, true)
	sc.Secret = sc.item(t, sc.PM2, utc(2026, 2, 10, 14, 5), "Tune the internal pool", "P1", false, false)
	sc.Later = sc.item(t, sc.PM2, utc(2026, 3, 2, 9, 0), "Load-test checkout", "P0", false, true)

	sc.patch(t, sc.Failover, utc(2026, 2, 3, 10, 0), models.ItemPatch{Status: models.Some(models.StatusDone)})
	sc.patch(t, sc.Certificates, utc(2026, 3, 5, 10, 0), models.ItemPatch{Priority: models.Some("P2")})
	sc.patch(t, sc.Alerting, utc(2026, 3, 10, 10, 0), models.ItemPatch{Title: models.Some("Alert on checkout 5xx rate")})
	sc.patch(t, sc.Certificates, utc(2026, 4, 2, 10, 0), models.ItemPatch{Status: models.Some(models.StatusDone)})
	at(s, Now)
	return sc
}

func (sc *Scenario) incident(t testing.TB, title string, start time.Time, bad float64) *models.Postmortem {
	t.Helper()
	ctx, s := context.Background(), sc.Store
	// Written and published within a quarter of an hour, before its
	// first items, so that they are visible from the moment they exist.
	at(s, start.Add(15*time.Minute))
	end := start.Add(time.Hour)
	pm, err := s.CreatePostmortem(ctx, sc.SRE, models.PostmortemInput{
		Title: title, Visibility: models.VisibilityShared, CustomerIDs: []uint{sc.K.ID}, Severity: "SEV2",
		StartedAt: &start, ResolvedAt: &end, Summary: "internal " + testdb.Marker,
		ExternalSummary: "What happened: " + title, ExternalNextSteps: "We are adding a check.",
	})
	if err == nil {
		pm, _, err = s.Publish(ctx, sc.Admin, pm.ID, nil)
	}
	if err == nil {
		_, err = s.CreateImpact(ctx, sc.SRE, pm.ID, models.ImpactInput{SLOID: sc.SLO.ID, BadMinutes: bad})
	}
	if err != nil {
		t.Fatalf("scenario incident %q: %v", title, err)
	}
	return pm
}

func (sc *Scenario) item(t testing.TB, pm *models.Postmortem, when time.Time, title, prio string, theirs, visible bool) *models.ActionItem {
	t.Helper()
	at(sc.Store, when)
	due, _ := models.ParseDate("2026-02-15")
	in := models.ItemInput{Title: title, Type: "repair", Priority: prio, Assignee: "sre@provider.example", DueDate: &due, CustomerVisible: &visible}
	if theirs {
		in.Owner, in.CustomerID, in.Assignee = models.OwnerCustomer, &sc.K.ID, "ops@kilo.example"
	}
	if !visible {
		in.Title = title + " " + testdb.Marker
	}
	it, err := sc.Store.CreateItem(context.Background(), sc.SRE, pm.ID, in)
	if err != nil {
		t.Fatalf("scenario item %q: %v", title, err)
	}
	return it
}

func (sc *Scenario) patch(t testing.TB, it *models.ActionItem, when time.Time, p models.ItemPatch) {
	t.Helper()
	at(sc.Store, when)
	if _, err := sc.Store.UpdateItem(context.Background(), sc.SRE, it.ID, p); err != nil {
		t.Fatalf("scenario patch of item %d: %v", it.ID, err)
	}
}
