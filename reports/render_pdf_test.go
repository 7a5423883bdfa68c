package reports

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/reports/reporttest"
)

// sendable is a review whose titles are long and whose names are not all
// Latin, with enough items to run over several pages.
func sendable() (*Review, []string) {
	asOf := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	r := &Review{Audience: "customer", Month: "2026-11", Label: "November 2026", Stage: StageIssued, GeneratedAt: asOf.Add(30 * time.Hour),
		Customer: CustomerRef{Name: "Société Générale — 東京 Ltd", Slug: "sg", TimeZone: "UTC"},
		From:     asOf.AddDate(0, -1, 0), To: asOf, AsOf: asOf}
	long := []string{
		"Validate full certificate chain with strict revocation checking on every regional edge proxy before rollout",
		"Move the session store of the Tōkyō region onto replicated storage with automatic failover and quarterly drills",
		"Ελέγχουμε τα πιστοποιητικά πελατών σε κάθε περιοχή πριν από την ανανέωση",
		"Проверить резервное копирование базы данных клиентов и время восстановления ✓",
	}
	names := []string{"Zoë Ångström", "Αλέξανδρος Παπαδόπουλος", "Ольга Кузнецова", "Tōkyō"}
	r.Postmortems = []PostmortemRef{{ID: 1, Title: "Certificate validation failure in the Tōkyō region after a partial rollout of the new edge proxies", Severity: "SEV1", Visibility: "shared"}}
	for i := 0; i < 40; i++ {
		due := r.From
		r.OpenOurs = append(r.OpenOurs, Item{ID: uint(i), Title: long[i%len(long)], PostmortemTitle: r.Postmortems[0].Title,
			Priority: "P1", Status: "in_progress", Assignee: names[i%len(names)], Overdue: true, DueDate: nil, CreatedAt: due})
	}
	want := append(append([]string{}, long...), names...)
	return r, append(want, r.Postmortems[0].Title, "Société Générale — \uFFFD\uFFFD Ltd")
}

// TestPDFIsSendable renders a review with long titles and non-Latin names
// and reads it back: every title whole (cells wrap, never cut), every name
// intact, a character the font lacks shown as the replacement mark, and
// on every page the as-of line, the page number and, where a table runs
// on, its header again. pdftotext (poppler-utils) reads it as a reader
// would; without it the test reads the content streams itself.
func TestPDFIsSendable(t *testing.T) {
	r, want := sendable()
	var buf bytes.Buffer
	if err := renderPDF(&buf, r, true); err != nil {
		t.Fatal(err)
	}
	pages, err := reporttest.PDFPages(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if path, err := exec.LookPath("pdftotext"); err == nil {
		pages = pdftotextPages(t, path, buf.Bytes())
	} else {
		t.Log("pdftotext not installed (apt-get install poppler-utils): reading the content streams instead")
	}
	if len(pages) < 3 {
		t.Fatalf("%d pages, want the 40 items to run over several", len(pages))
	}
	all := squash(strings.Join(pages, " "))
	for _, s := range want {
		if !strings.Contains(all, squash(s)) {
			t.Errorf("the PDF lacks %q whole", s)
		}
	}
	if strings.Contains(all, "…") || strings.Contains(all, "...") {
		t.Errorf("the PDF cuts text short")
	}
	for i, p := range pages {
		p = squash(p)
		for _, s := range []string{r.AsOfLine(), fmt.Sprintf("Page %d of %d", i+1, len(pages))} {
			if !strings.Contains(p, squash(s)) {
				t.Errorf("page %d lacks %q", i+1, s)
			}
		}
		if i > 0 && i < len(pages)-1 && !strings.Contains(p, "Item Postmortem Prio Status Assignee Due Age (days) GitHub") {
			t.Errorf("page %d continues the items table without its header", i+1)
		}
	}
}

// pdftotextPages reads the PDF as poppler does, page by page, in the
// order the text was drawn (-raw), so that a cell's lines stay together.
func pdftotextPages(t *testing.T, bin string, pdf []byte) []string {
	t.Helper()
	in := filepath.Join(t.TempDir(), "review.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-raw", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(strings.TrimRight(string(out), "\f\n"), "\f")
	return pages
}

// squash makes every run of white space one space.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }
