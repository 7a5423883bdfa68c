package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/reports"
	"github.com/amendsdev/amends/reports/openslo"
)

type reviewPageData struct {
	Customer *models.Customer
	Month    string
	Current  bool
	Issued   *models.IssuedReview
	CanIssue bool
	// Internal is set when the page shows the staff-only version
	// (?audience=internal); by default it shows what the customer gets.
	Internal bool
	Marker   string
	CanName  bool // an admin may name the team our people appear as
	// LateHidden counts items written since the month ended for its
	// incidents that the customer's version leaves out: a hint for staff.
	LateHidden int
}

// Link is the address of the review shown, in a format.
func (d reviewPageData) Link(format string) string {
	u := fmt.Sprintf("/api/v1/customers/%d/reports/%s?format=%s", d.Customer.ID, d.Month, format)
	if d.Internal {
		u += "&audience=internal"
	}
	return u
}

// reviewPage shows one month's review inside the site, with the ways to
// take it away (HTML, PDF, Markdown, CSV) and to issue it: the customer's
// version, exactly as it will be sent, or the internal one when asked.
func (s *Server) reviewPage(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, u := c.Request().Context(), currentUser(c)
	cu, err := s.store.GetCustomer(ctx, u, id)
	if err != nil {
		return err
	}
	m, err := reports.ParseMonth(c.Param("month"))
	if err != nil {
		return err
	}
	aud, err := reports.ParseAudience(c.QueryParam("audience"))
	if err != nil {
		return err
	}
	// The page reads only the review's state and its late write-ups; the
	// figures, measured ones included, are in the frame, whose own request
	// builds the review with the data source. Measuring here too asked
	// Prometheus everything twice per view.
	r, err := reports.Reviews{Store: s.store}.BuildFor(ctx, u, id, m, aud)
	if err != nil {
		return err
	}
	d := reviewPageData{Customer: cu, Month: m.String(), Current: r.Current, CanIssue: u.Can(models.PermManageCustomers),
		Internal: r.Internal(), Marker: reports.InternalMarker, CanName: u.Can(models.PermAdmin)}
	if d.LateHidden, err = s.lateHidden(ctx, u, r); err != nil {
		return err
	}
	issued, err := s.store.ListIssuedReviews(ctx, u, id)
	if err != nil {
		return err
	}
	for i := range issued { // latest revision first
		if issued[i].Month == d.Month && d.Issued == nil {
			d.Issued = &issued[i]
		}
	}
	title := fmt.Sprintf("%s review, %s", cu.Name, m.Label())
	if d.Internal {
		title = "INTERNAL " + title
	}
	return s.render(c, http.StatusOK, "review", title, "customers", d)
}

func (s *Server) issueReviewForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/customers/%d/reviews/%s", id, c.Param("month"))
	m, err := reports.ParseMonth(c.Param("month"))
	var out *reports.Issued
	if err == nil {
		revise := c.FormValue("revise") == "true"
		out, err = s.reviews().Issue(c.Request().Context(), currentUser(c), id, m,
			reports.IssueOptions{Revise: revise, Email: revise && c.FormValue("email") == "true"})
	}
	if err != nil {
		return s.backWithError(c, back, err)
	}
	if !out.Created {
		return s.redirectWith(c, back, fmt.Sprintf("This month was already issued (revision %d): nothing changed.", out.Revision))
	}
	if out.Revision > 1 {
		return s.redirectWith(c, back, fmt.Sprintf("Revision %d issued: the customer now reads it instead of the earlier one.", out.Revision))
	}
	return s.redirectWith(c, back, "Review issued: it will not change any more.")
}

func (s *Server) emailReviewForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	issuedID, err := pathID(c, "issued")
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/customers/%d#reviews", id)
	n, err := reports.EmailIssued(c.Request().Context(), s.store, s.outbox(), currentUser(c), issuedID)
	if err != nil {
		return s.backWithError(c, back, err)
	}
	if n == 0 {
		return s.redirectWith(c, back, "This review was already sent to every contact.")
	}
	return s.redirectWith(c, back, fmt.Sprintf("Review queued for %d contact(s).", n))
}

// uploadOpenSLOForm imports an OpenSLO file into the customer's SLOs and
// says what it did with each document.
func (s *Server) uploadOpenSLOForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/customers/%d#slos", id)
	if c.FormValue("from") == "slos" { // the SLOs page's own upload
		back = sloPath(id)
	}
	ctx, u := c.Request().Context(), currentUser(c)
	if _, err := s.store.GetCustomer(ctx, u, id); err != nil {
		return err
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return s.backWithError(c, back, badRequest("validation_failed", "choose an OpenSLO YAML file to upload", map[string]string{"file": "is required"}))
	}
	f, err := fh.Open()
	if err != nil {
		return fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	res, err := openslo.Import(ctx, s.store, u, id, f)
	if err != nil {
		return s.backWithError(c, back, err)
	}
	msg := fmt.Sprintf("OpenSLO import: %d created, %d updated", len(res.Created), len(res.Updated))
	if len(res.Other) > 0 {
		msg += fmt.Sprintf(", %d document(s) of other kinds passed over", len(res.Other))
	}
	if len(res.Skipped) > 0 {
		var names []string
		for _, sk := range res.Skipped {
			names = append(names, fmt.Sprintf("%s (%s)", sk.Name, sk.Reason))
		}
		msg += ", not imported: " + strings.Join(names, "; ")
		s.setFlash(c, msg, true)
		return c.Redirect(http.StatusSeeOther, back)
	}
	return s.redirectWith(c, back, msg+".")
}

// lateHidden counts the items written since an ended month for its
// incidents that are not in the review's late section: internal-only, or
// another customer's. Staff see the count, so that a lead who finds
// fewer items than expected knows why; the customer's version never
// names them.
func (s *Server) lateHidden(ctx context.Context, u *models.User, r *reports.Review) (int, error) {
	if r.Current || r.Internal() {
		return 0, nil
	}
	shown := map[uint]bool{}
	for _, it := range r.Late {
		shown[it.ID] = true
	}
	n := 0
	for _, in := range r.Incidents {
		pmID := in.ID
		items, _, err := s.store.ListItems(ctx, u, models.ItemFilter{PostmortemID: &pmID}, models.Page{Limit: 500})
		if err != nil {
			return 0, err
		}
		for _, it := range items {
			if !it.CreatedAt.Before(r.To) && !shown[it.ID] {
				n++
			}
		}
	}
	return n, nil
}
