package server_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/reports"
)

// TestReportRoute checks the review through the API: content per format,
// only customer-visible content for everyone, 404 for customer users, and
// 400s in the error shape.
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
	// Customers read issued reviews only; the live one does not exist for them.
	for _, email := range []string{f.CustA.Email, f.CustAdminA.Email} {
		if got := e.do("GET", base+"?format=html", email, nil); got.Status != 404 {
			t.Errorf("the live review as %s: %d, want 404", email, got.Status)
		}
	}
	for _, email := range []string{f.SRE.Email, f.Viewer.Email} {
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

var issued sync.Map // *testdb.Fixture → id of its issued March review of A

// issuedReviewOfA issues A's March review once per fixture.
func issuedReviewOfA(f *testdb.Fixture) uint {
	if id, ok := issued.Load(f); ok {
		return id.(uint)
	}
	ir, err := reports.Issue(context.Background(), f.Store, f.SRE, f.A.ID, reports.Month{Year: 2026, Mon: time.March}, reports.IssueOptions{})
	if err != nil {
		panic(err)
	}
	issued.Store(f, ir.ID)
	return ir.ID
}

// TestIssuedReportRoutes issues a review through the API, renames a postmortem,
// and reads the issued one back unchanged, as staff and as the customer.
func TestIssuedReportRoutes(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	f := e.f
	got := e.do("POST", "/api/v1/customers/"+id(f.A.ID)+"/reports/2026-03/issue", f.SRE.Email, nil)
	if got.Status != 201 {
		t.Fatalf("issue: %d %s", got.Status, got.Body)
	}
	issuedID := uint(got.json(t)["id"].(float64))
	if r := e.do("PATCH", "/api/v1/postmortems/"+id(f.SharedA.ID), f.SRE.Email, map[string]any{"title": "Renamed after issue"}); r.Status != 200 {
		t.Fatalf("rename: %d %s", r.Status, r.Body)
	}
	for _, email := range []string{f.SRE.Email, f.CustA.Email} {
		md := e.do("GET", "/api/v1/issued-reports/"+id(issuedID)+"?format=md", email, nil)
		body := string(md.Body)
		if md.Status != 200 || !strings.Contains(body, "| Shared with A |") || strings.Contains(body, "Renamed after issue") || strings.Contains(body, testdb.Marker) {
			t.Errorf("issued review as %s: %d\n%s", email, md.Status, md.Body)
		}
		list := e.do("GET", "/api/v1/customers/"+id(f.A.ID)+"/issued-reports", email, nil)
		if items, _ := list.json(t)["items"].([]any); list.Status != 200 || len(items) != 1 {
			t.Errorf("list as %s: %d %s", email, list.Status, list.Body)
		}
	}
	if r := e.do("POST", "/api/v1/customers/"+id(f.A.ID)+"/reports/2099-01/issue", f.SRE.Email, nil); r.Status != 400 {
		t.Errorf("issuing a future month: %d %s", r.Status, r.Body)
	}
}

const openSLOBody yamlBody = `apiVersion: openslo/v1
kind: SLO
metadata: {name: api-availability}
spec:
  timeWindow: [{duration: 1M}]
  objectives: [{targetPercent: 99.95}]
---
apiVersion: openslo/v1
kind: SLI
metadata: {name: errors}
`

func TestOpenSLOUpload(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	path := "/api/v1/customers/" + id(e.f.A.ID) + "/slos/openslo"
	for _, want := range []string{"created", "updated"} {
		got := e.do("POST", path, e.f.SRE.Email, openSLOBody)
		body := got.json(t)
		names, _ := body[want].([]any)
		skipped, _ := body["skipped"].([]any)
		other, _ := body["other"].([]any)
		if got.Status != 200 || len(names) != 1 || names[0] != "api-availability" || len(skipped) != 0 || len(other) != 1 {
			t.Fatalf("upload: %d %s, want api-availability %s and the SLI passed over", got.Status, got.Body, want)
		}
	}
	slos := e.do("GET", "/api/v1/customers/"+id(e.f.A.ID)+"/slos", e.f.SRE.Email, nil)
	if !strings.Contains(string(slos.Body), `"window_days":30`) || !strings.Contains(string(slos.Body), `"target":0.9995`) {
		t.Errorf("SLOs after upload: %s", slos.Body)
	}
	if got := e.do("POST", path, e.f.SRE.Email, "kind: [unclosed"); got.Status != 400 {
		t.Errorf("broken YAML: %d %s", got.Status, got.Body)
	}
}

var drafts sync.Map // *testdb.Fixture → id of A's draft

// draftOfA prepares the drafts once per fixture and returns A's.
func draftOfA(f *testdb.Fixture) uint {
	if id, ok := drafts.Load(f); ok {
		return id.(uint)
	}
	ctx := context.Background()
	if _, err := reports.PrepareDrafts(ctx, f.Store); err != nil {
		panic(err)
	}
	berlin, _ := time.LoadLocation(f.A.TimeZone)
	month := reports.MonthOf(f.Store.Now(), berlin).Add(-1).String()
	list, err := f.Store.ListReviewDrafts(ctx, f.Admin, month)
	if err != nil {
		panic(err)
	}
	for _, d := range list {
		if d.CustomerID == f.A.ID {
			drafts.Store(f, d.ID)
			return d.ID
		}
	}
	panic("no draft for A")
}
