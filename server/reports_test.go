package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/reports"
)

// TestReportRoute checks the review through the API: content per format,
// only customer-visible content for everyone, and 400s in the error shape.
func TestReportRoute(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	f := e.f
	berlin, _ := time.LoadLocation(f.A.TimeZone)
	base := "/api/v1/customers/" + id(f.A.ID) + "/reports/" + reports.MonthOf(f.Store.Now(), berlin).String()
	visible := []string{"Provider fix for A", "Acme&#39;s own fix", "Acme joint item"}
	hidden := []string{testdb.Marker, "Bravo", "Internal postmortem item", "Shared draft for A"}
	cases := []struct {
		format, contentType string
	}{{"html", "text/html"}, {"md", "text/markdown"}, {"csv", "text/csv"}, {"json", "application/json"}, {"pdf", "application/pdf"}}
	for _, email := range []string{f.SRE.Email, f.CustA.Email} {
		for _, c := range cases {
			got := e.do("GET", base+"?format="+c.format, email, nil)
			if got.Status != 200 || !strings.HasPrefix(got.Header.Get("Content-Type"), c.contentType) {
				t.Fatalf("%s as %s: %d %s", c.format, email, got.Status, got.Header.Get("Content-Type"))
			}
			body := string(got.Body)
			if c.format == "pdf" {
				if !strings.HasPrefix(body, "%PDF-") {
					t.Errorf("pdf as %s is not a PDF", email)
				}
				continue
			}
			for _, want := range visible {
				if c.format != "html" {
					want = strings.ReplaceAll(want, "&#39;", "'")
				}
				if !strings.Contains(body, want) {
					t.Errorf("%s as %s lacks %q", c.format, email, want)
				}
			}
			for _, no := range hidden {
				if strings.Contains(body, no) {
					t.Errorf("%s as %s shows %q", c.format, email, no)
				}
			}
		}
	}
	bad := e.do("GET", "/api/v1/customers/"+id(f.A.ID)+"/reports/2026-13?format=docx", f.SRE.Email, nil)
	code, fields := bad.apiError(t)
	if bad.Status != 400 || code != "validation_failed" || fields["month"] == nil || fields["format"] == nil {
		t.Errorf("bad month and format: %d %s", bad.Status, bad.Body)
	}
}
