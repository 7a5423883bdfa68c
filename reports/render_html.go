package reports

import (
	"fmt"
	"html/template"
	"io"
	"sync"

	"github.com/amendsdev/amends/web"
)

var (
	htmlOnce sync.Once
	htmlTmpl *template.Template
	htmlErr  error
)

// reviewTemplate parses the embedded template once.
func reviewTemplate() (*template.Template, error) {
	htmlOnce.Do(func() {
		funcs := template.FuncMap{
			"pct": pct, "mins": mins, "target": target, "date": date, "fmtTime": fmtTime, "fmtTimePtr": fmtTimePtr,
			"md": web.Markdown, "dict": dict, "label": web.Label, "internal": func() string { return InternalMarker },
		}
		htmlTmpl, htmlErr = template.New("review").Funcs(funcs).ParseFS(web.Templates, "templates/reports/review.html")
	})
	return htmlTmpl, htmlErr
}

func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict wants key and value pairs")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, _ := kv[i].(string)
		m[k] = kv[i+1]
	}
	return m, nil
}

// renderHTML writes a standalone page with inline SVG charts, which reads
// the same in a browser, saved to disk or attached to an email.
func renderHTML(w io.Writer, r *Review) error {
	t, err := reviewTemplate()
	if err != nil {
		return fmt.Errorf("parse review template: %w", err)
	}
	var charts []template.HTML
	for _, c := range trendCharts(r) {
		charts = append(charts, c.svg())
	}
	var burn []template.HTML
	for _, c := range burnCharts(r) {
		burn = append(burn, c.svg())
	}
	return t.ExecuteTemplate(w, "review", map[string]any{"R": r, "Charts": charts, "Burn": burn,
		"Measured": r.measuredRows(), "MeasuredHead": measuredHead})
}
