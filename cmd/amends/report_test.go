package main

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models"
)

const sloFile = `apiVersion: openslo/v1
kind: SLO
metadata: {name: api-availability, displayName: API availability}
spec:
  timeWindow: [{duration: 4w, isRolling: true}]
  objectives: [{targetPercent: 99.9}]
---
apiVersion: openslo/v1
kind: DataSource
metadata: {name: prometheus}
`

func TestImportAndReportCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "amends.db")
	if _, _, err := amends(t, "", "migrate", "--db", db); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	addCustomer(t, db, "kilo")
	file := filepath.Join(dir, "slos.yaml")
	if err := os.WriteFile(file, []byte(sloFile), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, err := amends(t, "", "import", "openslo", file, "--db", db, "--customer", "kilo")
	if err != nil || !strings.Contains(out, "created  api-availability") || !strings.Contains(out, "passed   prometheus (document 2, DataSource)") {
		t.Fatalf("import: out %q err %v, want the SLO created and the data source named", out, err)
	}
	out, _, err = amends(t, "", "report", "--db", db, "--customer", "kilo", "--month", "2026-01")
	if err != nil || !strings.Contains(out, "# Monthly SLO review: Kilo, January 2026") || !strings.Contains(out, "| API availability | 99.9% | rolling 28 days to 2026-02-01 00:00 UTC | 40.32 |") {
		t.Fatalf("report md: out %q err %v", out, err)
	}
	pdf := filepath.Join(dir, "review.pdf")
	if _, _, err := amends(t, "", "report", "--db", db, "--customer", "kilo", "--month", "2026-01", "--format", "pdf", "-o", pdf); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(pdf); err != nil || !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatalf("report -o: %v", err)
	}
	for _, bad := range [][]string{{"--month", "2026-1"}, {"--month", "2026-01", "--format", "docx"}, {"--month", "2026-01", "--customer", "nobody"}} {
		args := append([]string{"report", "--db", db, "--customer", "kilo"}, bad...)
		if _, _, err := amends(t, "", args...); err == nil {
			t.Errorf("report %v: want an error", bad)
		}
	}
}

func addCustomer(t *testing.T, path, slug string) {
	t.Helper()
	db, err := database.Open(database.OpenConfig{SQLitePath: path})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = models.NewStore(db).CreateCustomer(context.Background(), models.CustomerInput{Name: "Kilo", Slug: slug, TimeZone: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
}
