package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/reports"
)

type customersData struct {
	Customers []models.Customer
	Attention map[uint]models.CustomerAttention
}

func (s *Server) customersPage(c echo.Context) error {
	ctx, u := c.Request().Context(), currentUser(c)
	cs, err := s.store.ListCustomers(ctx, u)
	if err != nil {
		return err
	}
	counts, err := s.store.AttentionCounts(ctx, s.store.Today())
	if err != nil {
		return err
	}
	byID := map[uint]models.CustomerAttention{}
	for _, a := range counts {
		byID[a.CustomerID] = a
	}
	return s.render(c, http.StatusOK, "customers", "Customers", "customers", customersData{cs, byID})
}

type customerData struct {
	Customer        *models.Customer
	SLOs            []reports.Budget // each over its own window, now
	SLODescriptions map[string]string
	Impacts         []models.Impact
	Postmortems     map[uint]models.Postmortem
	Recent          []models.Postmortem
	Items           []models.ActionItem
	Titles          map[uint]string
	Today           models.Date
	Reviews         reviewLinks
	Issued          []models.IssuedReview
	// SLIs are the SLOs with their SLI queries, for staff to set.
	SLIs []models.SLO
}

func (s *Server) customerPage(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, u := c.Request().Context(), currentUser(c)
	d := customerData{Today: s.store.Today()}
	if d.Customer, err = s.store.GetCustomer(ctx, u, id); err != nil {
		return err
	}
	d.Reviews = s.reviewLinksFor(d.Customer)
	if d.Issued, err = s.store.ListIssuedReviews(ctx, u, id); err != nil {
		return err
	}
	slos, err := s.store.ListSLOs(ctx, u, id)
	if err != nil {
		return err
	}
	if d.Impacts, d.Postmortems, err = s.store.CustomerImpacts(ctx, u, id); err != nil {
		return err
	}
	d.SLOs = reports.SLOBudgets(slos, d.Impacts, d.Postmortems, s.store.Now())
	d.SLIs = slos
	d.SLODescriptions = map[string]string{}
	for _, slo := range slos {
		d.SLODescriptions[slo.Name] = slo.Description
	}
	if d.Recent, _, err = s.store.ListPostmortems(ctx, u, models.PostmortemFilter{CustomerID: &id}, models.Page{Limit: 20}); err != nil {
		return err
	}
	if d.Items, _, err = s.store.ListItems(ctx, u, models.ItemFilter{CustomerID: &id, Status: models.OpenStatuses},
		models.Page{Limit: 100, Sort: "due_date"}); err != nil {
		return err
	}
	if d.Titles, err = s.store.PostmortemTitles(ctx, d.Items); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "customer", d.Customer.Name, "customers", d)
}
