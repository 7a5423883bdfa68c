package reports

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/amendsdev/amends/web"
)

// renderMarkdown writes plain GitHub-flavoured Markdown: headings and
// pipe tables, which paste cleanly into documents and wikis.
func renderMarkdown(out io.Writer, r *Review) error {
	w := bufio.NewWriter(out)
	if r.Internal() {
		fmt.Fprintf(w, "> **%s.** It names our assignees: send the customer's version instead.\n\n", InternalMarker)
		fmt.Fprintf(w, "# INTERNAL: Monthly SLO review: %s, %s\n\n", mdCell(r.Customer.Name), r.Label)
	} else {
		fmt.Fprintf(w, "# Monthly SLO review: %s, %s\n\n", mdCell(r.Customer.Name), r.Label)
	}
	fmt.Fprintf(w, "_%s_\n\n", r.AsOfLine())
	c := r.Counts
	fmt.Fprintf(w, "- Incidents: %d\n- Open critical items: %d ours, %d yours (%d overdue)\n- Closed this month: %d\n- New items: %d\n- Worst error budget consumed: %s\n\n",
		c.Incidents, c.OpenCriticalOurs, c.OpenCriticalYours, c.Overdue, c.ClosedInMonth, c.NewInMonth, pct(c.WorstBudgetShare))
	fmt.Fprintf(w, "## Incidents this month\n\n")
	if len(r.Incidents) == 0 {
		fmt.Fprintf(w, "No incidents started this month.\n\n")
	}
	for _, in := range r.Incidents {
		fmt.Fprintf(w, "### %s (%s, started %s)\n\n", mdCell(in.Title), in.Severity, fmtTimePtr(in.StartedAt))
		if s := strings.TrimSpace(in.Summary); s != "" {
			fmt.Fprintf(w, "%s\n\n", s)
		}
		rows := [][]string{}
		for _, imp := range in.Impacts {
			rows = append(rows, impactRow(imp))
		}
		mdTable(w, impactHead, rows)
	}
	fmt.Fprintf(w, "## Error budgets\n\n")
	rows := [][]string{}
	for _, b := range r.Budgets {
		rows = append(rows, budgetRow(b))
	}
	mdTable(w, budgetHead, rows)
	fmt.Fprintf(w, "_%s_\n\n", r.BudgetNote())
	mdMeasured(w, r)
	mdTrend(w, r)
	for _, s := range r.itemSections() {
		fmt.Fprintf(w, "## %s\n\n", s.title)
		if s.title == "Written since the month ended" {
			fmt.Fprintf(w, "_%s_\n\n", r.LateNote())
		}
		mdItems(w, s.items)
	}
	fmt.Fprintf(w, "## Postmortems shared with you\n\n")
	rows = [][]string{}
	for _, p := range r.Postmortems {
		rows = append(rows, []string{p.Title, p.Severity, fmtTimePtr(p.StartedAt), p.Visibility})
	}
	mdTable(w, []string{"Postmortem", "Severity", "Started", "Kind"}, rows)
	return w.Flush()
}

func mdTrend(w io.Writer, r *Review) {
	fmt.Fprintf(w, "## Six-month trend\n\n")
	rows := [][]string{}
	for _, p := range r.Trend {
		rows = append(rows, []string{p.Month, strconv.Itoa(p.OpenCriticalOurs), strconv.Itoa(p.OpenCriticalYours), mins(p.BadMinutes), pct(p.WorstBudgetShare)})
	}
	mdTable(w, []string{"Month", "Open critical (ours)", "Open critical (yours)", "Bad minutes of its incidents", "Worst budget consumed in window at month end"}, rows)
}

func mdItems(w io.Writer, items []Item) {
	rows := [][]string{}
	for _, it := range items {
		due := date(it.DueDate)
		if it.Overdue {
			due += " **overdue**"
		}
		rows = append(rows, []string{it.Title, it.PostmortemTitle, it.Priority, web.Label(it.Status), it.Assignee, due, strconv.Itoa(it.AgeDays), web.Label(it.GitHubState)})
	}
	mdTable(w, []string{"Item", "Postmortem", "Priority", "Status", "Assignee", "Due", "Age (days)", "GitHub"}, rows)
}

func mdTable(w io.Writer, head []string, rows [][]string) {
	if len(rows) == 0 {
		fmt.Fprintf(w, "None.\n\n")
		return
	}
	fmt.Fprintf(w, "| %s |\n|%s\n", strings.Join(head, " | "), strings.Repeat(" --- |", len(head)))
	for _, row := range rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = mdCell(c)
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
	}
	fmt.Fprintln(w)
}

// mdMeasured writes the measured SLOs, their daily burn, and the
// figures that are missing.
func mdMeasured(w io.Writer, r *Review) {
	if rows := r.measuredRows(); len(rows) > 0 {
		fmt.Fprintf(w, "## Measured from the SLIs\n\n")
		mdTable(w, measuredHead, rows)
		fmt.Fprintf(w, "_%s_\n\n", r.MeasuredNote())
		for _, ch := range burnCharts(r) {
			fmt.Fprintf(w, "### %s\n\n", mdCell(ch.Title))
			rows := [][]string{}
			for i, l := range ch.Labels {
				rows = append(rows, []string{l, ch.Format(ch.Series[0].Values[i])})
			}
			mdTable(w, []string{"Day", ch.Axis}, rows)
		}
	}
	if lines := r.MissingLines(); len(lines) > 0 {
		fmt.Fprintf(w, "## Figures missing\n\n")
		for _, l := range lines {
			fmt.Fprintf(w, "- %s\n", mdCell(l))
		}
		fmt.Fprintln(w)
	}
}

// mdCell keeps text on one line and its pipes from splitting a table.
func mdCell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(s, "|", `\|`)
}

var csvHeader = []string{"section", "item_id", "postmortem_id", "postmortem", "title", "side", "priority", "status",
	"assignee", "due_date", "overdue", "age_days", "github_state", "created_at", "closed_at"}

// renderCSV writes one row per item and section, for spreadsheets. The
// internal version starts every row with an audience column saying so, so
// that no row copied elsewhere loses the mark.
func renderCSV(out io.Writer, r *Review) error {
	w := csv.NewWriter(out)
	mark := func(row []string, v string) []string {
		if !r.Internal() {
			return row
		}
		return append([]string{v}, row...)
	}
	if err := w.Write(mark(csvHeader, "audience")); err != nil {
		return err
	}
	for _, it := range r.AllItems() {
		closed := ""
		if it.ClosedAt != nil {
			closed = it.ClosedAt.UTC().Format("2006-01-02T15:04:05Z")
		}
		row := []string{it.Section, strconv.Itoa(int(it.ID)), strconv.Itoa(int(it.PostmortemID)), csvSafe(it.PostmortemTitle),
			csvSafe(it.Title), it.Side, it.Priority, it.Status, csvSafe(it.Assignee), date(it.DueDate),
			strconv.FormatBool(it.Overdue), strconv.Itoa(it.AgeDays), it.GitHubState,
			it.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"), closed}
		if err := w.Write(mark(row, InternalMarker)); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// csvSafe stops a spreadsheet from reading a title as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
