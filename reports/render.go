package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/amendsdev/amends/models"
)

// Formats are the renderings of a review, with their content types.
var Formats = map[string]string{
	"json": "application/json; charset=utf-8",
	"md":   "text/markdown; charset=utf-8",
	"csv":  "text/csv; charset=utf-8",
	"html": "text/html; charset=utf-8",
	"pdf":  "application/pdf",
}

// CheckFormat refuses an unknown format as a validation error, so that the
// API answers 400 naming it.
func CheckFormat(format string) error {
	if _, ok := Formats[format]; !ok {
		return invalid("format", "must be one of json, md, html, pdf, csv")
	}
	return nil
}

// Render writes the review in the format.
func Render(w io.Writer, r *Review, format string) error {
	if err := CheckFormat(format); err != nil {
		return err
	}
	var err error
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		err = enc.Encode(r)
	case "md":
		err = renderMarkdown(w, r)
	case "csv":
		err = renderCSV(w, r)
	case "html":
		err = renderHTML(w, r)
	case "pdf":
		err = renderPDF(w, r, true)
	}
	if err != nil {
		return fmt.Errorf("render %s review of %s for %s: %w", format, r.Customer.Slug, r.Month, err)
	}
	return nil
}

// Filename is what a download of the review is called.
func Filename(r *Review, format string) string {
	return fmt.Sprintf("slo-review-%s-%s.%s", r.Customer.Slug, r.Month, format)
}

func pct(v float64) string { return fmt.Sprintf("%.1f%%", v*100) }
func mins(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
}

func target(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.4f", v*100), "0"), ".") + "%"
}

func date(d *models.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func fmtTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func fmtTimePtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return fmtTime(*t)
}
