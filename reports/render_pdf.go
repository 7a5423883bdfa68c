package reports

import (
	"fmt"
	"io"
	"strconv"

	"codeberg.org/go-pdf/fpdf"

	"github.com/amendsdev/amends/web"
)

// Page geometry of the A4 review, in millimetres.
const (
	pdfMargin = 10.0
	pdfTop    = 18.0 // below the running head
	pdfBottom = 16.0 // above the running foot
	pdfFont   = "DejaVu"
)

// pdfDoc wraps fpdf with the few layouts a review needs, in an embedded
// Unicode font; every string goes through tx, which prints a character
// the font lacks as the replacement mark.
type pdfDoc struct {
	*fpdf.Fpdf
	g glyphs
}

func (p pdfDoc) tx(s string) string { return p.g.printable(s) }

// renderPDF writes an A4 review: wrapped table cells, headers repeated on
// each page a table runs onto, charts with legends and axis labels, and on
// every page the customer, the month, the as-of line and the page number.
// compress is false only in tests.
func renderPDF(w io.Writer, r *Review, compress bool) error {
	g, err := fontGlyphs(fontRegular)
	if err != nil {
		return fmt.Errorf("read the PDF font: %w", err)
	}
	p := pdfDoc{Fpdf: fpdf.New("P", "mm", "A4", ""), g: g}
	p.AddUTF8FontFromBytes(pdfFont, "", fontRegular)
	p.AddUTF8FontFromBytes(pdfFont, "B", fontBold)
	p.SetCompression(compress)
	p.SetMargins(pdfMargin, pdfTop, pdfMargin)
	p.SetAutoPageBreak(true, pdfBottom)
	p.AliasNbPages("{nb}")
	title := "SLO review " + r.Label + " " + r.Customer.Name
	if r.Internal() {
		title = "INTERNAL " + title
	}
	p.SetTitle(title, true)
	p.runningHeadAndFoot(r)
	p.AddPage()
	p.SetFont(pdfFont, "B", 15)
	p.MultiCell(0, 7, p.tx(fmt.Sprintf("Monthly SLO review: %s, %s", r.Customer.Name, r.Label)), "", "L", false)
	p.SetFont(pdfFont, "", 9)
	c := r.Counts
	p.MultiCell(0, 5, p.tx(fmt.Sprintf("Incidents %d · open critical %d ours, %d yours (%d overdue) · closed %d · worst budget consumed %s",
		c.Incidents, c.OpenCriticalOurs, c.OpenCriticalYours, c.Overdue, c.ClosedInMonth, pct(c.WorstBudgetShare))), "", "L", false)
	p.incidents(r)
	p.budgets(r)
	p.trend(r)
	for _, s := range r.itemSections() {
		note := ""
		if s.title == "Written since the month ended" {
			note = r.LateNote()
		}
		p.items(s.title, note, s.items)
	}
	rows := [][]string{}
	for _, pm := range r.Postmortems {
		rows = append(rows, []string{pm.Title, pm.Severity, fmtTimePtr(pm.StartedAt), pm.Visibility})
	}
	p.section("Postmortems shared with you", "", []string{"Postmortem", "Severity", "Started", "Kind"}, []float64{112, 20, 38, 20}, rows)
	if err := p.Output(w); err != nil {
		return fmt.Errorf("write PDF: %w", err)
	}
	return nil
}

// runningHeadAndFoot puts the customer, month and as-of line at the head
// of every page and the page number at its foot, and the internal marker
// at both on the internal version, so that no page printed or cut out of
// it passes for something else. fpdf restores the page's font and colours
// after them.
func (p pdfDoc) runningHeadAndFoot(r *Review) {
	pageW, pageH := p.GetPageSize()
	head := p.tx(fmt.Sprintf("Monthly SLO review · %s · %s", r.Customer.Name, r.Label))
	asOf := p.tx(r.AsOfLine())
	mark := func(y float64) {
		if r.Internal() {
			p.SetFont(pdfFont, "B", 8)
			p.SetTextColor(185, 28, 28)
			p.SetXY(pdfMargin, y)
			p.CellFormat(0, 4, InternalMarker, "", 0, "R", false, 0, "")
		}
	}
	p.SetHeaderFunc(func() {
		p.SetFont(pdfFont, "B", 8)
		p.SetTextColor(70, 80, 90)
		p.SetXY(pdfMargin, 5)
		p.CellFormat(0, 4, head, "", 0, "L", false, 0, "")
		mark(5)
		p.SetFont(pdfFont, "", 7)
		p.SetTextColor(70, 80, 90)
		p.SetXY(pdfMargin, 9)
		p.MultiCell(pageW-2*pdfMargin, 3.2, asOf, "", "L", false)
		p.SetTextColor(0, 0, 0)
		p.SetY(pdfTop)
	})
	p.SetFooterFunc(func() {
		p.SetFont(pdfFont, "", 7)
		p.SetTextColor(70, 80, 90)
		p.SetXY(pdfMargin, pageH-10)
		p.CellFormat(0, 4, fmt.Sprintf("Page %d of {nb}", p.PageNo()), "", 0, "L", false, 0, "")
		mark(pageH - 10)
		p.SetTextColor(0, 0, 0)
	})
}

// room is how far the page's body reaches below the cursor.
func (p pdfDoc) room() float64 {
	_, h := p.GetPageSize()
	return h - pdfBottom - p.GetY()
}

// keep starts a new page unless h millimetres fit on this one.
func (p pdfDoc) keep(h float64) {
	if p.room() < h {
		p.AddPage()
	}
}

func (p pdfDoc) heading(s string, keepWith float64) {
	p.keep(10 + keepWith)
	p.Ln(2)
	p.SetFont(pdfFont, "B", 12)
	p.CellFormat(0, 7, p.tx(s), "", 1, "L", false, 0, "")
	p.SetFont(pdfFont, "", 8)
}

func (p pdfDoc) note(s string) {
	if s == "" {
		return
	}
	p.SetFont(pdfFont, "", 8)
	p.SetTextColor(70, 80, 90)
	p.MultiCell(0, 3.8, p.tx(s), "", "L", false)
	p.SetTextColor(0, 0, 0)
}

// section is a heading, a note and a table, the heading kept with the
// table's header and first row.
func (p pdfDoc) section(title, note string, head []string, widths []float64, rows [][]string) {
	first := 6.0
	if len(rows) > 0 {
		first += p.rowHeight(widths, rows[0])
	}
	p.heading(title, first)
	p.note(note)
	p.table(head, widths, rows)
}

func (p pdfDoc) incidents(r *Review) {
	p.heading("Incidents this month", 20)
	if len(r.Incidents) == 0 {
		p.CellFormat(0, 5, "No incidents started this month.", "", 1, "L", false, 0, "")
	}
	for _, in := range r.Incidents {
		p.keep(25)
		p.SetFont(pdfFont, "B", 9)
		p.MultiCell(0, 5, p.tx(fmt.Sprintf("%s (%s, started %s)", in.Title, in.Severity, fmtTimePtr(in.StartedAt))), "", "L", false)
		p.SetFont(pdfFont, "", 8)
		if in.Summary != "" {
			p.MultiCell(0, 4, p.tx(in.Summary), "", "L", false)
		}
		rows := [][]string{}
		for _, imp := range in.Impacts {
			rows = append(rows, impactRow(imp))
		}
		p.table(impactHead, []float64{60, 30, 30, 70}, rows)
		p.Ln(1)
	}
}

func (p pdfDoc) budgets(r *Review) {
	rows := [][]string{}
	for _, b := range r.Budgets {
		rows = append(rows, budgetRow(b))
	}
	p.section("Error budgets", "", budgetHead, []float64{28, 13, 38, 16, 20, 17, 18, 17, 23}, rows)
	p.note(r.BudgetNote())
	p.measured(r)
}

// measured draws the SLOs measured from their SLIs, their daily burn
// charts two to a row, and the figures that are missing.
func (p pdfDoc) measured(r *Review) {
	if rows := r.measuredRows(); len(rows) > 0 {
		p.section("Measured from the SLIs", "", measuredHead, []float64{40, 28, 28, 40, 27, 27}, rows)
		p.note(r.MeasuredNote())
		for i, ch := range burnCharts(r) {
			if i%2 == 0 {
				p.keep(62)
			}
			y := p.GetY()
			p.chart(ch, pdfMargin+float64(i%2)*96, y, 90, 58)
			if i%2 == 1 || i == len(burnCharts(r))-1 {
				p.SetY(y + 62)
			}
		}
	}
	if lines := r.MissingLines(); len(lines) > 0 {
		p.heading("Figures missing", 10)
		for _, l := range lines {
			p.note(l)
		}
	}
}

func (p pdfDoc) trend(r *Review) {
	p.heading("Six-month trend", 62)
	y := p.GetY()
	for i, ch := range trendCharts(r) {
		p.chart(ch, pdfMargin+float64(i)*96, y, 90, 58)
	}
	p.SetY(y + 62)
}

func (p pdfDoc) items(title, note string, items []Item) {
	rows := [][]string{}
	for _, it := range items {
		due := date(it.DueDate)
		if it.Overdue {
			due += " overdue"
		}
		rows = append(rows, []string{it.Title, it.PostmortemTitle, it.Priority, web.Label(it.Status), it.Assignee, due, strconv.Itoa(it.AgeDays), web.Label(it.GitHubState)})
	}
	p.section(title, note, []string{"Item", "Postmortem", "Prio", "Status", "Assignee", "Due", "Age (days)", "GitHub"},
		[]float64{48, 36, 9, 17, 32, 20, 12, 16}, rows)
}
