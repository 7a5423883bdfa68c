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

// AsOfLine says what moment the review shows and how this copy came to
// be; every format prints it (the PDF on every page).
func (r *Review) AsOfLine() string {
	var s string
	if r.Current {
		s = fmt.Sprintf("Month in progress, as of %s (%s).", fmtTime(r.AsOf), r.Customer.TimeZone)
	} else {
		s = fmt.Sprintf("As it stood at the end of the month, %s (%s).", fmtTime(r.AsOf), r.Customer.TimeZone)
	}
	if r.GeneratedAt.IsZero() {
		return s
	}
	switch r.Stage {
	case StageIssued:
		s += " Issued snapshot made " + fmtTime(r.GeneratedAt) + ": later changes are not in it."
	case StageDraft:
		s += " Draft prepared " + fmtTime(r.GeneratedAt) + "."
	default:
		s += " Computed " + fmtTime(r.GeneratedAt) + "."
	}
	return s
}

// BudgetNote states the budget model under every budget table.
func (r *Review) BudgetNote() string {
	return fmt.Sprintf("Each SLO's error budget is measured over its own window as of %s: rolling windows are the last N days, "+
		"calendar windows the current period; an incident counts for the part of it inside the window. "+
		"\"This month\" is what the incidents that started this month cost.", fmtTime(r.AsOf))
}

// LateNote heads the section of items written since the month ended.
func (r *Review) LateNote() string {
	return fmt.Sprintf("Items created after the month ended (%s) for this month's incidents, as they stood at %s. "+
		"They are not in the month-end figures above.", fmtTime(r.To), fmtTime(r.GeneratedAt))
}

// budgetRow is a budget table's row, the same in every format.
func budgetRow(b Budget) []string {
	return []string{b.DisplayName, target(b.Target), b.Window.Label, mins(b.BudgetMinutes), mins(b.ConsumedMinutes),
		pct(b.ConsumedShare), mins(b.RemainingMinutes), mins(b.MonthMinutes), b.SourceLabel()}
}

var budgetHead = []string{"SLO", "Target", "Window", "Budget (min)", "Consumed in window (min)", "Consumed", "Remaining (min)", "This month (min)", "Figures"}

// itemSections are the item tables of a review, in order; the late
// section is there only when the review has one.
func (r *Review) itemSections() []struct {
	title string
	items []Item
} {
	out := []struct {
		title string
		items []Item
	}{{"Open critical items: ours", r.OpenOurs}, {"Open critical items: yours", r.OpenYours},
		{"Closed this month", r.Closed}, {"New items from this month's incidents", r.New}}
	if len(r.Late) > 0 {
		out = append(out, struct {
			title string
			items []Item
		}{"Written since the month ended", r.Late})
	}
	return out
}
