package models

import (
	"context"
	"fmt"
	"strings"
	"text/template"
	"text/template/parse"

	"gorm.io/gorm"
)

// SLIInput sets an SLO's SLI in the shape of OpenSLO's ratioMetric: a
// total query with a good or a bad one, each a PromQL selector of
// counters. All three empty removes the SLI.
type SLIInput struct {
	GoodQuery  string `json:"good_query"`
	BadQuery   string `json:"bad_query"`
	TotalQuery string `json:"total_query"`
}

// HasSLI says whether the SLO carries an SLI amends can measure.
func (s SLO) HasSLI() bool {
	return s.SLITotalQuery != "" && (s.SLIGoodQuery != "" || s.SLIBadQuery != "")
}

// SLI is the SLO's SLI as set.
func (s SLO) SLI() SLIInput {
	return SLIInput{GoodQuery: s.SLIGoodQuery, BadQuery: s.SLIBadQuery, TotalQuery: s.SLITotalQuery}
}

func (in *SLIInput) trim() {
	in.GoodQuery, in.BadQuery, in.TotalQuery = strings.TrimSpace(in.GoodQuery), strings.TrimSpace(in.BadQuery), strings.TrimSpace(in.TotalQuery)
}

// validate checks the SLI into f: none at all, or a total query with
// exactly one of good and bad, each a template that uses nothing but
// {{ .Customer }}.
func (in *SLIInput) validate(f fieldErrors, prefix string) {
	in.trim()
	if *in == (SLIInput{}) {
		return
	}
	if in.TotalQuery == "" {
		f.add(prefix+"total_query", "is required with a good or bad query")
	}
	switch {
	case in.GoodQuery == "" && in.BadQuery == "":
		f.add(prefix+"good_query", "a good or a bad query is required with a total query")
	case in.GoodQuery != "" && in.BadQuery != "":
		f.add(prefix+"bad_query", "give a good query or a bad query, not both")
	}
	for _, q := range []struct{ field, v string }{{"good_query", in.GoodQuery}, {"bad_query", in.BadQuery}, {"total_query", in.TotalQuery}} {
		if q.v == "" {
			continue
		}
		f.line(prefix+q.field, q.v, 2000)
		if _, err := parseSLIQuery(q.v); err != nil {
			f.add(prefix+q.field, err.Error())
		}
	}
}

// parseSLIQuery parses a query template and refuses any action but
// {{ .Customer }}: no functions, no pipelines, no other field, so that a
// query can only ever be its text with the customer's slug put in.
func parseSLIQuery(q string) (*template.Template, error) {
	t, err := template.New("sli").Option("missingkey=error").Parse(q)
	if err != nil {
		return nil, fmt.Errorf("is not a valid template: %s", strings.TrimPrefix(err.Error(), "template: sli:"))
	}
	inString := false
	for _, n := range t.Tree.Root.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
			inString = quoteState(inString, n.Text)
		case *parse.ActionNode:
			if !isCustomerField(n) {
				return nil, fmt.Errorf("may use {{ .Customer }} and nothing else, not %s", n.String())
			}
			if !inString {
				return nil, fmt.Errorf("must put {{ .Customer }} inside a double-quoted label value, such as {customer=\"{{ .Customer }}\"}")
			}
		default:
			return nil, fmt.Errorf("may use {{ .Customer }} and nothing else, not %s", n.String())
		}
	}
	return t, nil
}

// quoteState says whether, after text, we are inside a double-quoted
// PromQL string, having been in one before it or not.
func quoteState(in bool, text []byte) bool {
	for i := 0; i < len(text); i++ {
		switch {
		case in && text[i] == '\\':
			i++
		case text[i] == '"':
			in = !in
		}
	}
	return in
}

func isCustomerField(n *parse.ActionNode) bool {
	if len(n.Pipe.Decl) != 0 || len(n.Pipe.Cmds) != 1 || len(n.Pipe.Cmds[0].Args) != 1 {
		return false
	}
	f, ok := n.Pipe.Cmds[0].Args[0].(*parse.FieldNode)
	return ok && len(f.Ident) == 1 && f.Ident[0] == "Customer"
}

// RenderSLIQuery puts a customer's slug into a query template. The slug
// is data, escaped as the inside of a PromQL double-quoted string, so that
// whatever it held it stays inside the label matcher it is written in
// (slugs are letters, digits and dashes anyway).
func RenderSLIQuery(q, slug string) (string, error) {
	t, err := parseSLIQuery(q)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := t.Execute(&b, struct{ Customer string }{promQuote(slug)}); err != nil {
		return "", fmt.Errorf("render SLI query: %w", err)
	}
	return b.String(), nil
}

// promQuote escapes s for use between double quotes in PromQL.
func promQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "'", `\'`, "`", "\\`", "\n", `\n`, "\r", `\r`)
	return r.Replace(s)
}

// SetSLI sets or removes an SLO's SLI; only staff who manage customers
// reach it (the route says so).
func (s *Store) SetSLI(ctx context.Context, customerID, sloID uint, in SLIInput) (*SLO, error) {
	f := fieldErrors{}
	in.validate(f, "")
	if err := f.err(); err != nil {
		return nil, err
	}
	var slo SLO
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("customer_id = ?", customerID).First(&slo, sloID).Error; err != nil {
			return notFound(err, "SLO", sloID)
		}
		slo.SLIGoodQuery, slo.SLIBadQuery, slo.SLITotalQuery = in.GoodQuery, in.BadQuery, in.TotalQuery
		slo.UpdatedAt = s.Now()
		return tx.Model(&SLO{}).Where("id = ?", slo.ID).Updates(map[string]any{
			"sli_good_query": slo.SLIGoodQuery, "sli_bad_query": slo.SLIBadQuery, "sli_total_query": slo.SLITotalQuery,
			"updated_at": slo.UpdatedAt}).Error
	})
	if err != nil {
		return nil, err
	}
	return &slo, nil
}
