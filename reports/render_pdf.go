package reports

import (
	"fmt"
	"io"
	"strconv"

	"codeberg.org/go-pdf/fpdf"
)

// pdfDoc wraps fpdf with the few layouts a review needs. Core fonts speak
// cp1252, so every string goes through the translator.
type pdfDoc struct {
	*fpdf.Fpdf
	tr func(string) string
}

// renderPDF writes an A4 review with the trend charts drawn as vector bars.
// compress is false only in tests, so that the text can be searched.
func renderPDF(w io.Writer, r *Review, compress bool) error {
	p := pdfDoc{Fpdf: fpdf.New("P", "mm", "A4", "")}
	p.tr = p.UnicodeTranslatorFromDescriptor("")
	p.SetCompression(compress)
	title := "SLO review " + r.Label + " " + r.Customer.Name
	if r.Internal() {
		title = "INTERNAL " + title
	}
	p.SetTitle(title, true)
	p.SetAutoPageBreak(true, 15)
	if r.Internal() {
		p.markInternal()
	}
	p.AddPage()
	p.SetFont("Helvetica", "B", 16)
	p.MultiCell(0, 8, p.tr(fmt.Sprintf("Monthly SLO review: %s, %s", r.Customer.Name, r.Label)), "", "L", false)
	p.SetFont("Helvetica", "", 9)
	note := "As it stood at the end of the month (" + r.Customer.TimeZone + ")."
	if r.Current {
		note = "Month in progress, as of " + fmtTime(r.AsOf) + " (" + r.Customer.TimeZone + ")."
	}
	p.MultiCell(0, 5, p.tr(note), "", "L", false)
	c := r.Counts
	p.MultiCell(0, 5, p.tr(fmt.Sprintf("Incidents %d · open critical %d ours, %d yours (%d overdue) · closed %d · worst budget consumed %s",
		c.Incidents, c.OpenCriticalOurs, c.OpenCriticalYours, c.Overdue, c.ClosedInMonth, pct(c.WorstBudgetShare))), "", "L", false)
	p.incidents(r)
	p.budgets(r)
	p.heading("Six-month trend")
	y := p.GetY()
	for i, ch := range trendCharts(r) {
		p.chart(ch, 10+float64(i)*95, y, 90, 50)
	}
	p.SetY(y + 55)
	for _, s := range []struct {
		title string
		items []Item
	}{{"Open critical items: ours", r.OpenOurs}, {"Open critical items: yours", r.OpenYours},
		{"Closed this month", r.Closed}, {"New items from this month's incidents", r.New}} {
		p.heading(s.title)
		p.items(s.items)
	}
	p.heading("Postmortems shared with you")
	rows := [][]string{}
	for _, pm := range r.Postmortems {
		rows = append(rows, []string{pm.Title, pm.Severity, fmtTimePtr(pm.StartedAt), pm.Visibility})
	}
	p.table([]string{"Postmortem", "Severity", "Started", "Kind"}, []float64{100, 20, 45, 25}, rows)
	if err := p.Output(w); err != nil {
		return fmt.Errorf("write PDF: %w", err)
	}
	return nil
}

// markInternal writes the internal marker at the top and the foot of
// every page, so that no page printed or cut out of it passes for the
// customer's version.
// fpdf restores the page's font and colours after the header.
func (p pdfDoc) markInternal() {
	mark := func(y float64) {
		p.SetFont("Helvetica", "B", 8)
		p.SetTextColor(185, 28, 28)
		p.Text(10, y, InternalMarker)
		p.SetTextColor(0, 0, 0)
	}
	p.SetHeaderFunc(func() { mark(7) })
	p.SetFooterFunc(func() { mark(290) })
}

func (p pdfDoc) heading(s string) {
	p.Ln(3)
	p.SetFont("Helvetica", "B", 12)
	p.CellFormat(0, 7, p.tr(s), "", 1, "L", false, 0, "")
	p.SetFont("Helvetica", "", 8)
}

func (p pdfDoc) incidents(r *Review) {
	p.heading("Incidents this month")
	if len(r.Incidents) == 0 {
		p.CellFormat(0, 5, "No incidents started this month.", "", 1, "L", false, 0, "")
	}
	for _, in := range r.Incidents {
		p.SetFont("Helvetica", "B", 9)
		p.MultiCell(0, 5, p.tr(fmt.Sprintf("%s (%s, started %s)", in.Title, in.Severity, fmtTimePtr(in.StartedAt))), "", "L", false)
		p.SetFont("Helvetica", "", 8)
		if in.Summary != "" {
			p.MultiCell(0, 4, p.tr(in.Summary), "", "L", false)
		}
		rows := [][]string{}
		for _, imp := range in.Impacts {
			rows = append(rows, []string{imp.SLO, mins(imp.BadMinutes), pct(imp.BudgetShare)})
		}
		p.table([]string{"SLO", "Bad minutes", "Budget share"}, []float64{90, 40, 40}, rows)
	}
}

func (p pdfDoc) budgets(r *Review) {
	p.heading("Error budgets")
	rows := [][]string{}
	for _, b := range r.Budgets {
		rows = append(rows, []string{b.DisplayName, target(b.Target), strconv.Itoa(b.WindowDays) + " d", mins(b.BudgetMinutes),
			mins(b.ConsumedMinutes), pct(b.ConsumedShare), mins(b.RemainingMinutes)})
	}
	p.table([]string{"SLO", "Target", "Window", "Budget min", "Consumed min", "Consumed", "Remaining min"},
		[]float64{55, 20, 18, 25, 27, 20, 25}, rows)
}

func (p pdfDoc) items(items []Item) {
	rows := [][]string{}
	for _, it := range items {
		due := date(it.DueDate)
		if it.Overdue {
			due += " overdue"
		}
		rows = append(rows, []string{it.Title, it.PostmortemTitle, it.Priority, it.Status, it.Assignee, due, strconv.Itoa(it.AgeDays), it.GitHubState})
	}
	p.table([]string{"Item", "Postmortem", "Prio", "Status", "Assignee", "Due", "Age", "GitHub"},
		[]float64{48, 32, 9, 17, 40, 22, 9, 13}, rows)
}

// table writes rows of single-line cells, cut to fit their column.
func (p pdfDoc) table(head []string, widths []float64, rows [][]string) {
	if len(rows) == 0 {
		p.CellFormat(0, 5, "None.", "", 1, "L", false, 0, "")
		return
	}
	p.SetFont("Helvetica", "B", 8)
	p.SetFillColor(230, 236, 242)
	for i, h := range head {
		p.CellFormat(widths[i], 5, p.tr(h), "B", 0, "L", true, 0, "")
	}
	p.Ln(-1)
	p.SetFont("Helvetica", "", 8)
	for _, row := range rows {
		for i, cell := range row {
			p.CellFormat(widths[i], 5, p.fit(p.tr(cell), widths[i]-1), "B", 0, "L", false, 0, "")
		}
		p.Ln(-1)
	}
}

// fit shortens s until it fits in width, marking the cut.
func (p pdfDoc) fit(s string, width float64) string {
	if p.GetStringWidth(s) <= width {
		return s
	}
	for len(s) > 1 && p.GetStringWidth(s+"...") > width {
		s = s[:len(s)-1]
	}
	return s + "..."
}

// chart draws bars as filled rectangles with their totals and months.
func (p pdfDoc) chart(b bars, x, y, w, h float64) {
	p.SetFont("Helvetica", "B", 8)
	p.Text(x, y+3, p.tr(b.Title))
	p.SetFont("Helvetica", "", 6)
	top, bottom := y+8, y+h-5
	slot := w / float64(len(b.Labels))
	max := b.max()
	p.SetDrawColor(160, 170, 180)
	p.Line(x, bottom, x+w, bottom)
	for i, label := range b.Labels {
		bx := x + float64(i)*slot + slot*0.2
		by := bottom
		for _, s := range b.Series {
			bh := s.Values[i] / max * (bottom - top)
			by -= bh
			p.SetFillColor(s.Color[0], s.Color[1], s.Color[2])
			p.Rect(bx, by, slot*0.6, bh, "F")
		}
		p.Text(bx, by-1, b.Format(b.total(i)))
		p.Text(bx, bottom+3, label)
	}
}
