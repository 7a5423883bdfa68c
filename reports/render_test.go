package reports

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/reports/reporttest"
)

// february is the hand-worked February review of reporttest, for staff.
func february(t *testing.T) *Review {
	t.Helper()
	sc := reporttest.New(t, testdb.SQLite(t))
	r, err := Build(context.Background(), sc.Store, sc.Admin, sc.K.ID, Month{2026, 2})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var wantTitles = []string{"Alert on checkout error rate", "Rotate client certificates", "Add failover for the login service", "Checkout errors"}

func render(t *testing.T, r *Review, format string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, r, format); err != nil {
		t.Fatalf("render %s: %v", format, err)
	}
	out := buf.String()
	if strings.Contains(out, testdb.Marker) {
		t.Errorf("%s holds internal content (%s)", format, testdb.Marker)
	}
	return out
}

func TestRenderTextFormats(t *testing.T) {
	r := february(t)
	for _, format := range []string{"md", "html", "csv", "json"} {
		out := render(t, r, format)
		for _, title := range wantTitles {
			if !strings.Contains(out, title) {
				t.Errorf("%s lacks %q", format, title)
			}
		}
	}
	md := render(t, r, "md")
	for _, want := range []string{"# Monthly SLO review: Kilo, February 2026", "| Rotate client certificates | Login outage | P1 | Open | ops@kilo.example | 2026-02-15 **overdue** |",
		"| api-availability | 99.9% | rolling 30 days to 2026-03-01 05:00 UTC | 43.2 | 32.4 | 75.0% | 10.8 | 10.8 |", "| 2026-01 | 1 | 0 | 21.6 | 25.0% |",
		"## Written since the month ended", "| Load-test checkout | Checkout errors | P0 | Open | Provider team |"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	page := render(t, r, "html")
	if strings.Count(page, "<svg") != 2 || !strings.Contains(page, "2026-01 ours: 1") {
		t.Errorf("HTML lacks its two charts")
	}
}

func TestRenderJSON(t *testing.T) {
	var got struct {
		Month  string `json:"month"`
		Counts Counts `json:"counts"`
		Yours  []Item `json:"open_critical_yours"`
	}
	if err := json.Unmarshal([]byte(render(t, february(t), "json")), &got); err != nil {
		t.Fatal(err)
	}
	if got.Month != "2026-02" || got.Counts.OpenCriticalOurs != 1 || len(got.Yours) != 1 || !got.Yours[0].Overdue || got.Yours[0].Priority != "P1" {
		t.Errorf("JSON = %+v", got)
	}
}

func TestRenderCSVOneRowPerItem(t *testing.T) {
	r := february(t)
	rows, err := csv.NewReader(strings.NewReader(render(t, r, "csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(r.AllItems()) || len(rows) != 6 {
		t.Fatalf("CSV has %d rows, want a header and 5 items: %q", len(rows), rows)
	}
	want := map[string]string{"open_critical_ours": "Alert on checkout error rate", "open_critical_yours": "Rotate client certificates",
		"closed_in_month": "Add failover for the login service", "new_in_month": "Alert on checkout error rate",
		"written_since_month_end": "Load-test checkout"}
	for _, row := range rows[1:] {
		if want[row[0]] != row[4] {
			t.Errorf("row %q: want title %q", row, want[row[0]])
		}
	}
}

func TestRenderPDF(t *testing.T) {
	r := february(t)
	var buf bytes.Buffer
	if err := renderPDF(&buf, r, false); err != nil {
		t.Fatal(err)
	}
	pdf := buf.Bytes()
	checkPDFStructure(t, pdf)
	text, err := reporttest.PDFText(pdf)
	if err != nil {
		t.Fatal(err)
	}
	for _, title := range wantTitles {
		if !strings.Contains(text, title) {
			t.Errorf("PDF lacks %q", title)
		}
	}
	if strings.Contains(text, testdb.Marker) {
		t.Errorf("PDF holds internal content")
	}
	// The compressed rendering the API serves is a valid PDF too.
	checkPDFStructure(t, []byte(render(t, r, "pdf")))
}

// checkPDFStructure checks what a reader needs to open the file: the
// header, the end marker, and a startxref that points at the xref table.
func checkPDFStructure(t *testing.T, pdf []byte) {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.")) || !bytes.HasSuffix(bytes.TrimSpace(pdf), []byte("%%EOF")) {
		t.Fatalf("not a PDF: %.20q … %q", pdf, pdf[max(0, len(pdf)-20):])
	}
	m := regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`).FindSubmatch(pdf)
	if m == nil {
		t.Fatal("PDF has no startxref")
	}
	off, _ := strconv.Atoi(string(m[1]))
	if off >= len(pdf) || !bytes.HasPrefix(pdf[off:], []byte("xref")) {
		t.Fatalf("startxref %d does not point at the xref table", off)
	}
}

func TestRenderRefusesUnknownFormat(t *testing.T) {
	err := Render(&bytes.Buffer{}, &Review{}, "docx")
	if _, ok := err.(*models.ValidationError); !ok {
		t.Fatalf("err = %v, want a validation error", err)
	}
}
