package main

import (
	"github.com/amendsdev/amends/models/database"

	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/reports"
	"github.com/amendsdev/amends/reports/reporttest"
)

// The review `amends report` writes is the customer's in every format, our
// people shown as the team; --audience internal names them and says it is
// internal. On SQLite and PostgreSQL.
func TestReportAudiences(t *testing.T) {
	dbs := map[string]func(t *testing.T) (*database.DB, []string){
		"sqlite": func(t *testing.T) (*database.DB, []string) {
			path := filepath.Join(t.TempDir(), "amends.db")
			return openMigrated(t, database.OpenConfig{SQLitePath: path}), []string{"--db", path}
		},
		"postgres": func(t *testing.T) (*database.DB, []string) {
			u := testdb.PostgresURL(t)
			return openMigrated(t, database.OpenConfig{DatabaseURL: u}), []string{"--database-url", u}
		},
	}
	for name, open := range dbs {
		t.Run(name, func(t *testing.T) {
			db, dbArgs := open(t)
			sc := reporttest.New(t, db)
			staff := sc.StaffAssignees(t)
			dir := t.TempDir()
			for _, format := range []string{"md", "html", "pdf", "csv", "json"} {
				for _, aud := range []string{"", "customer", "internal"} {
					file := filepath.Join(dir, "review-"+aud+"."+format)
					args := append([]string{"report", "--customer", "kilo", "--month", reporttest.StaffMonth, "--format", format, "-o", file}, dbArgs...)
					if aud != "" {
						args = append(args, "--audience", aud)
					}
					if _, _, err := amends(t, "", args...); err != nil {
						t.Fatalf("report %s %s: %v", format, aud, err)
					}
					text := readReview(t, file)
					what := "report --format " + format + " --audience " + aud
					if aud == "internal" {
						mark := reports.InternalMarker
						if format == "json" {
							mark = `"audience": "internal"`
						}
						for _, want := range append(staff, mark) {
							if !strings.Contains(text, want) {
								t.Errorf("%s lacks %q", what, want)
							}
						}
						continue
					}
					for _, no := range append(staff, reports.InternalMarker) {
						if strings.Contains(text, no) {
							t.Errorf("%s holds %q", what, no)
						}
					}
					if !strings.Contains(text, models.DefaultTeamName) || !strings.Contains(text, "ops@kilo.example") {
						t.Errorf("%s lacks the team or the customer's own assignee", what)
					}
				}
			}
			args := append([]string{"report", "--customer", "kilo", "--month", reporttest.StaffMonth, "--audience", "staff"}, dbArgs...)
			if _, _, err := amends(t, "", args...); err == nil || !strings.Contains(err.Error(), "audience") {
				t.Errorf("--audience staff: err = %v, want one naming audience", err)
			}
		})
	}
}

func openMigrated(t *testing.T, cfg database.OpenConfig) *database.DB {
	t.Helper()
	if _, _, err := amends(t, "", migrateArgs(cfg)...); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	db, err := database.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func migrateArgs(cfg database.OpenConfig) []string {
	if cfg.DatabaseURL != "" {
		return []string{"migrate", "--database-url", cfg.DatabaseURL}
	}
	return []string{"migrate", "--db", cfg.SQLitePath}
}

func readReview(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(file, ".pdf") {
		return string(b)
	}
	text, err := reporttest.PDFText(b)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return text
}
