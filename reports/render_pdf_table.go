package reports

// The PDF's tables and charts.

const pdfLine = 3.8 // the height of a line of 8-point text in a cell

// lines wraps a cell's text to its column, never cutting it.
func (p pdfDoc) lines(s string, width float64) []string {
	ls := p.SplitText(p.tx(s), width)
	if len(ls) == 0 {
		return []string{""}
	}
	return ls
}

func (p pdfDoc) rowHeight(widths []float64, row []string) float64 {
	n := 1
	for i, cell := range row {
		if l := len(p.lines(cell, widths[i])); l > n {
			n = l
		}
	}
	return float64(n)*pdfLine + 1.2
}

// table writes rows whose cells wrap onto as many lines as they need; the
// row grows to fit. A row that does not fit on the page starts the next,
// under the table's header again, so no header stands alone at a page's
// foot and no page of rows lacks one.
func (p pdfDoc) table(head []string, widths []float64, rows [][]string) {
	if len(rows) == 0 {
		p.SetFont(pdfFont, "", 8)
		p.CellFormat(0, 5, "None.", "", 1, "L", false, 0, "")
		return
	}
	p.SetFont(pdfFont, "B", 8)
	headH := p.rowHeight(widths, head)
	p.SetFont(pdfFont, "", 8)
	p.keep(headH + p.rowHeight(widths, rows[0]))
	p.row(head, widths, headH, true)
	for _, row := range rows {
		p.SetFont(pdfFont, "", 8)
		h := p.rowHeight(widths, row)
		if p.room() < h {
			p.AddPage()
			p.row(head, widths, headH, true)
		}
		p.row(row, widths, h, false)
	}
}

// row draws one row of cells, each wrapped, at the cursor, and moves the
// cursor below it.
func (p pdfDoc) row(cells []string, widths []float64, h float64, header bool) {
	x0, y := p.GetX(), p.GetY()
	style := ""
	if header {
		style = "B"
		p.SetFillColor(230, 236, 242)
		total := 0.0
		for _, w := range widths {
			total += w
		}
		p.Rect(x0, y, total, h, "F")
	}
	p.SetFont(pdfFont, style, 8)
	x := x0
	for i, cell := range cells {
		for j, line := range p.lines(cell, widths[i]) {
			p.SetXY(x, y+0.6+float64(j)*pdfLine)
			p.CellFormat(widths[i], pdfLine, line, "", 0, "L", false, 0, "")
		}
		x += widths[i]
	}
	p.SetDrawColor(200, 210, 220)
	p.Line(x0, y+h, x, y+h)
	p.SetDrawColor(0, 0, 0)
	p.SetXY(x0, y+h)
}

// chart draws bars as filled rectangles with their totals, the months
// under them, what the axis counts beside it, and a legend of the series.
func (p pdfDoc) chart(b bars, x, y, w, h float64) {
	p.SetFont(pdfFont, "B", 8)
	p.Text(x, y+3, p.tx(b.Title))
	p.SetFont(pdfFont, "", 6.5)
	// Legend, one swatch per series.
	lx := x
	for _, s := range b.Series {
		p.SetFillColor(s.Color[0], s.Color[1], s.Color[2])
		p.Rect(lx, y+5, 3, 3, "F")
		p.Text(lx+4, y+7.6, p.tx(s.Name))
		lx += 6 + p.GetStringWidth(p.tx(s.Name))
	}
	top, bottom, left := y+13, y+h-9, x+6
	// The axis says what the bars count, written up its side.
	p.TransformBegin()
	p.TransformRotate(90, x+2, bottom)
	p.Text(x+2, bottom+1, p.tx(b.Axis))
	p.TransformEnd()
	slot := (w - 6) / float64(len(b.Labels))
	max := b.max()
	p.SetDrawColor(160, 170, 180)
	p.Line(left, top, left, bottom)
	p.Line(left, bottom, x+w, bottom)
	for i, label := range b.Labels {
		bx := left + float64(i)*slot + slot*0.2
		by := bottom
		for _, s := range b.Series {
			bh := s.Values[i] / max * (bottom - top)
			by -= bh
			p.SetFillColor(s.Color[0], s.Color[1], s.Color[2])
			p.Rect(bx, by, slot*0.6, bh, "F")
		}
		if !b.Compact {
			p.Text(bx, by-1, b.Format(b.total(i)))
		}
		if b.labelled(i) {
			p.Text(bx-1, bottom+3, label)
		}
	}
	p.Text(left, bottom+7, p.tx(b.XAxis))
	p.SetDrawColor(0, 0, 0)
}
