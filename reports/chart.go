package reports

import (
	"fmt"
	"html/template"
	"strings"
)

// bars is a bar chart of one or two stacked series per month, the shape of
// both trend charts; SVG and PDF draw from the same numbers.
type bars struct {
	Title  string
	Axis   string // what the bars count
	XAxis  string // what the labels under them are
	Labels []string
	Series []series
	Format func(float64) string
	// Compact charts have many bars (a month's days): no value over each
	// bar (each has its tooltip in SVG) and a label every fifth.
	Compact bool
}

// labelled says whether bar i carries its label under it.
func (b bars) labelled(i int) bool { return !b.Compact || i == 0 || (i+1)%5 == 0 }

type series struct {
	Name   string
	Color  [3]int
	Values []float64
}

func (b bars) max() float64 {
	m := 0.0
	for i := range b.Labels {
		if t := b.total(i); t > m {
			m = t
		}
	}
	if m == 0 {
		return 1
	}
	return m
}

func (b bars) total(i int) float64 {
	t := 0.0
	for _, s := range b.Series {
		t += s.Values[i]
	}
	return t
}

// trendCharts are the two charts of a review: open critical items on both
// sides, and the worst share of an SLO budget spent.
func trendCharts(r *Review) []bars {
	n := len(r.Trend)
	open := bars{Title: "Open critical items at month end", Axis: "items", XAxis: "month (at its end)", Labels: make([]string, n),
		Series: []series{{"ours", [3]int{37, 99, 235}, make([]float64, n)}, {"yours", [3]int{234, 88, 12}, make([]float64, n)}},
		Format: func(v float64) string { return fmt.Sprintf("%.0f", v) }}
	budget := bars{Title: "Worst SLO's error budget consumed", Axis: "% of budget in the SLO's window", XAxis: "month (window as of its end)", Labels: make([]string, n),
		Series: []series{{"worst SLO, share of its budget", [3]int{220, 38, 38}, make([]float64, n)}},
		Format: func(v float64) string { return fmt.Sprintf("%.0f%%", v*100) }}
	for i, p := range r.Trend {
		open.Labels[i], budget.Labels[i] = p.Month, p.Month
		open.Series[0].Values[i], open.Series[1].Values[i] = float64(p.OpenCriticalOurs), float64(p.OpenCriticalYours)
		budget.Series[0].Values[i] = p.WorstBudgetShare
	}
	return []bars{open, budget}
}

// svg draws the chart inline: no script, no external asset, so that the
// page can be saved or mailed as it is.
func (b bars) svg() template.HTML {
	const w, h, top, bottom, left = 480, 200, 24, 30, 10
	plot := float64(h - top - bottom)
	slot := float64(w-2*left) / float64(len(b.Labels))
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">`,
		w, h, w, h, template.HTMLEscapeString(b.Title))
	fmt.Fprintf(&sb, `<text x="%d" y="16" font-size="13" font-family="sans-serif">%s</text>`, left, template.HTMLEscapeString(b.Title))
	// The legend starts after the title, at 240 at the least.
	lx := max(240, float64(left)+6.8*float64(len(b.Title))+12)
	for _, s := range b.Series {
		fmt.Fprintf(&sb, `<rect x="%.1f" y="6" width="10" height="10" fill="rgb(%d,%d,%d)"/><text x="%.1f" y="15" font-size="10" font-family="sans-serif">%s</text>`,
			lx, s.Color[0], s.Color[1], s.Color[2], lx+13, template.HTMLEscapeString(s.Name))
		lx += 20 + 5.5*float64(len(s.Name))
	}
	fmt.Fprintf(&sb, `<text x="%d" y="%d" font-size="9" fill="#627d98" font-family="sans-serif">%s · %s</text>`,
		left, h-2, template.HTMLEscapeString(b.Axis), template.HTMLEscapeString(b.XAxis))
	max := b.max()
	for i, label := range b.Labels {
		x := float64(left) + float64(i)*slot + slot*0.2
		y := float64(h - bottom)
		for _, s := range b.Series {
			bh := s.Values[i] / max * plot
			y -= bh
			fmt.Fprintf(&sb, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="rgb(%d,%d,%d)"><title>%s %s: %s</title></rect>`,
				x, y, slot*0.6, bh, s.Color[0], s.Color[1], s.Color[2], label, s.Name, b.Format(s.Values[i]))
		}
		if !b.Compact {
			fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="middle" font-family="sans-serif">%s</text>`,
				x+slot*0.3, y-3, b.Format(b.total(i)))
		}
		if b.labelled(i) {
			fmt.Fprintf(&sb, `<text x="%.1f" y="%d" font-size="10" text-anchor="middle" font-family="sans-serif">%s</text>`,
				x+slot*0.3, h-bottom+14, label)
		}
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}
