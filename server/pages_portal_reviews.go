package server

import (
	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/reports"
)

// Customers read their organisation's monthly reviews once issued: the
// frozen snapshot, which holds only customer-visible content, never the
// live review, which staff are still preparing.

type issuedView struct {
	ID       uint
	Month    string
	IssuedAt string
}

// issuedViews lists the signed-in customer's issued reviews, newest first.
func (s *Server) issuedViews(c echo.Context) ([]issuedView, error) {
	u := currentUser(c)
	list, err := s.store.ListIssuedReviews(c.Request().Context(), u, *u.CustomerID)
	if err != nil {
		return nil, err
	}
	out := make([]issuedView, 0, len(list))
	for _, r := range list {
		out = append(out, issuedView{r.ID, r.Month, r.IssuedAt.Format("2006-01-02")})
	}
	return out, nil
}

// portalReviewPage shows one issued review of the customer's own
// organisation as its HTML rendering.
func (s *Server) portalReviewPage(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	r, _, err := reports.LoadIssued(c.Request().Context(), s.store, currentUser(c), id)
	if err != nil {
		return err
	}
	return renderReview(c, r, "html")
}
