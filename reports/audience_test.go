package reports_test

import (
	"github.com/amendsdev/amends/models/database"

	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/reports"
	"github.com/amendsdev/amends/reports/reporttest"
)

var allFormats = []string{"md", "html", "pdf", "csv", "json"}

// renderText renders a review and returns the text a reader sees: the
// PDF's content streams inflated.
func renderText(t *testing.T, r *reports.Review, format string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := reports.Render(&buf, r, format); err != nil {
		t.Fatalf("render %s: %v", format, err)
	}
	if format != "pdf" {
		return buf.String()
	}
	text, err := reporttest.PDFText(buf.Bytes())
	if err != nil {
		t.Fatalf("read PDF: %v", err)
	}
	return text
}

// The review staff send by hand is the customer's: our people appear as
// the team in every format, whoever builds it; only the internal version,
// asked for by name, names them, and says it is internal.
func TestReviewAudiences(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		sc := reporttest.New(t, db)
		staff := sc.StaffAssignees(t)
		ctx, m := context.Background(), month(t, reporttest.StaffMonth)
		for _, actor := range []*models.User{sc.Admin, sc.SRE, sc.Viewer} {
			r, err := reports.Build(ctx, sc.Store, actor, sc.K.ID, m)
			if err != nil {
				t.Fatal(err)
			}
			for _, format := range allFormats {
				out := renderText(t, r, format)
				for _, s := range append(staff, reports.InternalMarker) {
					if strings.Contains(out, s) {
						t.Errorf("customer version (%s, built by %s) holds %q", format, actor.Email, s)
					}
				}
				for _, want := range []string{models.DefaultTeamName, "ops@kilo.example"} {
					if !strings.Contains(out, want) {
						t.Errorf("customer version (%s) lacks %q", format, want)
					}
				}
			}
		}
		in, err := reports.BuildFor(ctx, sc.Store, sc.Viewer, sc.K.ID, m, reports.AudienceInternal)
		if err != nil {
			t.Fatal(err)
		}
		for _, format := range allFormats {
			out := renderText(t, in, format)
			for _, want := range append(staff, reports.InternalMarker, "ops@kilo.example") {
				if format == "json" && want == reports.InternalMarker {
					want = `"audience": "internal"`
				}
				if !strings.Contains(out, want) {
					t.Errorf("internal version (%s) lacks %q", format, want)
				}
			}
		}
	})
}

func TestInternalReviewIsStaffOnly(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		sc := reporttest.New(t, db)
		ctx, m := context.Background(), month(t, "2026-02")
		if _, err := reports.BuildFor(ctx, sc.Store, sc.CustK, sc.K.ID, m, reports.AudienceInternal); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("customer asking for the internal version: err = %v, want not found", err)
		}
		r, err := reports.BuildFor(ctx, sc.Store, sc.CustK, sc.K.ID, m, reports.AudienceCustomer)
		if err != nil || r.Audience != "customer" {
			t.Errorf("customer's own version: %v, audience %q", err, r.Audience)
		}
		var verr *models.ValidationError
		if _, err := reports.ParseAudience("staff"); !errors.As(err, &verr) || verr.Fields["audience"] == "" {
			t.Errorf("unknown audience: err = %v, want a validation error naming audience", err)
		}
		if a, err := reports.ParseAudience(""); err != nil || a != reports.AudienceCustomer {
			t.Errorf("no audience = %q, %v; want the customer's", a, err)
		}
	})
}

// An admin names the team; the name must not be one of our people.
func TestTeamNameSetting(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		sc := reporttest.New(t, db)
		sc.StaffAssignees(t)
		ctx := context.Background()
		var verr *models.ValidationError
		for _, bad := range []string{"", "sre@provider.example", "Sid Sre", "Reliability\nteam", strings.Repeat("x", 81)} {
			if _, err := sc.Store.SaveProviderSettings(ctx, sc.Admin, models.ProviderSettings{TeamName: bad}); !errors.As(err, &verr) {
				t.Errorf("team name %q: err = %v, want a validation error", bad, err)
			}
		}
		if _, err := sc.Store.SaveProviderSettings(ctx, sc.SRE, models.ProviderSettings{TeamName: "Ops"}); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("an SRE setting it: err = %v, want forbidden", err)
		}
		if _, err := sc.Store.SaveProviderSettings(ctx, sc.Admin, models.ProviderSettings{TeamName: " Northwind Reliability "}); err != nil {
			t.Fatal(err)
		}
		r, err := reports.Build(ctx, sc.Store, sc.Admin, sc.K.ID, month(t, reporttest.StaffMonth))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(renderText(t, r, "csv"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, row := range rows[1:] {
			got[row[4]] = row[8]
		}
		want := map[string]string{"Alert on checkout 5xx rate": "Northwind Reliability", "Load-test checkout": "Northwind Reliability",
			"Renew the partner certificate": "Northwind Reliability", "Update the client library": "ops@kilo.example"}
		for title, who := range want {
			if got[title] != who {
				t.Errorf("%q shown assigned to %q, want %q (all: %v)", title, got[title], who, got)
			}
		}
	})
}

// Every page of an internal PDF carries the mark at its head and foot.
func TestInternalPDFMarksEveryPage(t *testing.T) {
	r := &reports.Review{Audience: "internal", Month: "2026-02", Label: "February 2026",
		Customer: reports.CustomerRef{Name: "Kilo", Slug: "kilo", TimeZone: "UTC"}}
	for i := 0; i < 120; i++ {
		r.OpenOurs = append(r.OpenOurs, reports.Item{ID: uint(i), Title: "Item", Side: "ours", Priority: "P1", Status: "open", Assignee: "sre@provider.example"})
	}
	var buf bytes.Buffer
	if err := reports.Render(&buf, r, "pdf"); err != nil {
		t.Fatal(err)
	}
	pages, err := reporttest.PDFPages(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 3 {
		t.Fatalf("%d pages, want several", len(pages))
	}
	for i, p := range pages {
		if n := strings.Count(p, reports.InternalMarker); n != 2 {
			t.Errorf("page %d carries the internal mark %d times, want head and foot", i+1, n)
		}
	}
}

// The internal CSV says so on every row; the JSON in a field.
func TestInternalMarksInData(t *testing.T) {
	r := &reports.Review{Audience: "internal", Month: "2026-02", OpenOurs: []reports.Item{{ID: 1, Title: "A"}, {ID: 2, Title: "B"}}}
	rows, err := csv.NewReader(strings.NewReader(renderText(t, r, "csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "audience" {
		t.Errorf("header = %q", rows[0])
	}
	for _, row := range rows[1:] {
		if !strings.HasPrefix(row[0], "INTERNAL") {
			t.Errorf("row %q is not marked internal", row)
		}
	}
	var got struct{ Audience string }
	if err := json.Unmarshal([]byte(renderText(t, r, "json")), &got); err != nil || got.Audience != "internal" {
		t.Errorf("JSON audience = %q, %v", got.Audience, err)
	}
	md := renderText(t, r, "md")
	if first, _, _ := strings.Cut(md, "\n"); !strings.Contains(first, reports.InternalMarker) {
		t.Errorf("Markdown's first line is %q", first)
	}
}
