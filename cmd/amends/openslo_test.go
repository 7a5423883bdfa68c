package main

import (
	"github.com/amendsdev/amends/models/database"

	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models"
)

// TestImportOpenSLOAsWrittenInTheWild imports both shapes the OpenSLO tools
// write: the list file imports all its SLOs and exits 0 though it also
// holds a Service, an SLI, a DataSource and an AlertPolicy (reported, not
// errors); the multi-document file imports its good SLOs and exits 2,
// naming each refused one. The SLOs keep their figures and calendars.
func TestImportOpenSLOAsWrittenInTheWild(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "amends.db")
	if _, _, err := amends(t, "", "migrate", "--db", db); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	addCustomer(t, db, "kilo")
	testdata := filepath.Join("..", "..", "reports", "openslo", "testdata")
	out, _, err := amends(t, "", "import", "openslo", filepath.Join(testdata, "list.yaml"), "--db", db, "--customer", "kilo")
	if err != nil {
		t.Fatalf("list form: %v\n%s", err, out)
	}
	for _, want := range []string{"created  checkout-availability", "created  search-latency-fast", "created  search-latency-usable",
		"passed   web-shop (document 1, Service)", "passed   checkout-fast-burn (document 6, AlertPolicy)"} {
		if !strings.Contains(out, want) {
			t.Errorf("list form output lacks %q:\n%s", want, out)
		}
	}
	out, _, err = amends(t, "", "import", "openslo", filepath.Join(testdata, "multi.yaml"), "--db", db, "--customer", "kilo")
	var ee exitError
	if !errors.As(err, &ee) || ee.code != 2 {
		t.Fatalf("multi-document form with refused SLOs: err %v, want exit status 2\n%s", err, out)
	}
	for _, want := range []string{"created  api-availability", "created  weekly-batch",
		`refused  legacy-uptime (document 3, SLO): apiVersion "openslo/v1alpha" is not openslo/v1`,
		"refused  signup-journey (document 4, SLO): composite", "passed   on-call (document 6, AlertNotificationTarget)"} {
		if !strings.Contains(out, want) {
			t.Errorf("multi-document output lacks %q:\n%s", want, out)
		}
	}
	d, err := database.Open(database.OpenConfig{SQLitePath: db})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var slos []models.SLO
	if err := d.R.Order("name").Find(&slos).Error; err != nil {
		t.Fatal(err)
	}
	// (1 − 0.999) × 30 × 1440 = 43.2; (1 − 0.995) × 28 × 1440 = 201.6;
	// (1 − 0.99) × 7 × 1440 = 100.8 for a calendar week.
	want := map[string]struct {
		target   float64
		budget   float64
		calendar string
	}{
		"api-availability": {0.999, 43.2, ""}, "checkout-availability": {0.995, 201.6, ""},
		"search-latency-fast": {0.95, 2160, "1M 2026-01-01 00:00:00 Asia/Tokyo"}, "search-latency-usable": {0.995, 216, "1M 2026-01-01 00:00:00 Asia/Tokyo"},
		"weekly-batch": {0.99, 100.8, "1w 2026-01-05 00:00:00 Europe/Paris"},
	}
	if len(slos) != len(want) {
		t.Fatalf("imported %d SLOs, want %d: %+v", len(slos), len(want), slos)
	}
	for _, s := range slos {
		w := want[s.Name]
		cal := strings.TrimSpace(s.CalendarDuration + " " + s.CalendarStart + " " + s.CalendarTimeZone)
		if s.Target != w.target || s.BudgetMinutes() != w.budget || cal != w.calendar {
			t.Errorf("%s: target %v budget %v calendar %q, want %+v", s.Name, s.Target, s.BudgetMinutes(), cal, w)
		}
	}
}
