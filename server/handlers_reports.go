package server

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/reports"
)

// customerReport renders a customer's monthly review, live: the customer's
// version, or with ?audience=internal the staff-only one. Customer users
// read only issued reviews (issued-reports), so for them it does not exist.
// The customer is looked up first, so that a 404 does not depend on the
// month; month, format and audience are then checked together, so that a
// request with several wrong names them all.
func (s *Server) customerReport(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if currentUser(c).IsCustomer() {
		return errNotFound
	}
	if _, err := s.store.GetCustomer(c.Request().Context(), currentUser(c), id); err != nil {
		return err
	}
	format := c.QueryParam("format")
	if format == "" {
		format = "json"
	}
	bad := map[string]string{}
	m, err := reports.ParseMonth(c.Param("month"))
	collectFields(bad, err)
	collectFields(bad, reports.CheckFormat(format))
	aud, err := reports.ParseAudience(c.QueryParam("audience"))
	collectFields(bad, err)
	if len(bad) > 0 {
		return &models.ValidationError{Fields: bad}
	}
	r, err := s.reviews().BuildFor(c.Request().Context(), currentUser(c), id, m, aud)
	if err != nil {
		return err
	}
	return renderReview(c, r, format)
}

// renderReview answers the review in the format; downloads get a file name.
func renderReview(c echo.Context, r *reports.Review, format string) error {
	var buf bytes.Buffer
	if err := reports.Render(&buf, r, format); err != nil {
		return err
	}
	if format == "html" {
		frameableBySelf(c)
	}
	if format != "json" && format != "html" {
		c.Response().Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename=%q`, reports.Filename(r, format)))
	}
	return c.Blob(http.StatusOK, reports.Formats[format], buf.Bytes())
}

// collectFields adds the fields of a validation error to bad.
func collectFields(bad map[string]string, err error) {
	if v, ok := err.(*models.ValidationError); ok {
		for k, msg := range v.Fields {
			bad[k] = msg
		}
	}
}

// issueReport freezes a past month's review and answers the issued
// record: 201 when this request issued it, 200 with the review already
// issued when the month had one (issuing is idempotent). ?revise=true
// issues a new revision that supersedes the earlier for the customer;
// ?email=true also sends what this request issued to the contacts.
func (s *Server) issueReport(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.store.GetCustomer(c.Request().Context(), currentUser(c), id); err != nil {
		return err
	}
	bad := map[string]string{}
	m, err := reports.ParseMonth(c.Param("month"))
	collectFields(bad, err)
	var opts reports.IssueOptions
	opts.Revise = boolParam(c, "revise", bad)
	opts.Email = boolParam(c, "email", bad)
	if len(bad) > 0 {
		return &models.ValidationError{Fields: bad}
	}
	out, err := s.reviews().Issue(c.Request().Context(), currentUser(c), id, m, opts)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if out.Created {
		status = http.StatusCreated
	}
	return c.JSON(status, out)
}

// boolParam reads an optional true/false query parameter, naming it in
// bad when it is neither.
func boolParam(c echo.Context, name string, bad map[string]string) bool {
	v := c.QueryParam(name)
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		bad[name] = "must be true or false"
	}
	return b
}

func (s *Server) listIssuedReports(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	list, err := s.store.ListIssuedReviews(c.Request().Context(), currentUser(c), id)
	if err != nil {
		return err
	}
	return page(c, list, "")
}

// getIssuedReport renders an issued review from its snapshot, in any format.
func (s *Server) getIssuedReport(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	format := c.QueryParam("format")
	if format == "" {
		format = "json"
	}
	r, _, err := reports.LoadIssued(c.Request().Context(), s.store, currentUser(c), id)
	if err != nil {
		return err
	}
	if err := onlyCustomerVersion(c, "an issued review"); err != nil {
		return err
	}
	return renderReview(c, r, format)
}

// listReviewDrafts lists the drafts of ?month= (default: last month, UTC).
func (s *Server) listReviewDrafts(c echo.Context) error {
	m := reports.MonthOf(s.store.Now(), time.UTC).Add(-1)
	if v := c.QueryParam("month"); v != "" {
		var err error
		if m, err = reports.ParseMonth(v); err != nil {
			return err
		}
	}
	list, err := s.store.ListReviewDrafts(c.Request().Context(), currentUser(c), m.String())
	if err != nil {
		return err
	}
	return page(c, list, "")
}

func (s *Server) getReviewDraft(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	format := c.QueryParam("format")
	if format == "" {
		format = "json"
	}
	r, err := reports.LoadDraft(c.Request().Context(), s.store, currentUser(c), id)
	if err != nil {
		return err
	}
	if err := onlyCustomerVersion(c, "a draft"); err != nil {
		return err
	}
	return renderReview(c, r, format)
}

// onlyCustomerVersion refuses ?audience=internal on a stored review, which
// exists only as the customer reads it: 400 for staff, and for customer
// users 404, as for anything internal.
func onlyCustomerVersion(c echo.Context, what string) error {
	aud, err := reports.ParseAudience(c.QueryParam("audience"))
	if err != nil {
		return err
	}
	if aud == reports.AudienceCustomer {
		return nil
	}
	if currentUser(c).IsCustomer() {
		return errNotFound
	}
	return &models.ValidationError{Fields: map[string]string{"audience": what + " exists only in the customer's version"}}
}
