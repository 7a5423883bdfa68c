package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/reports"
)

func (s *Server) listCustomers(c echo.Context) error {
	cs, err := s.store.ListCustomers(c.Request().Context(), currentUser(c))
	if err != nil {
		return err
	}
	return page(c, mapSlice(cs, newCustomerView), "")
}

func (s *Server) getCustomer(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	cu, err := s.store.GetCustomer(c.Request().Context(), currentUser(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newCustomerView(cu))
}

func (s *Server) createCustomer(c echo.Context) error {
	var in models.CustomerInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	cu, err := s.store.CreateCustomerAs(c.Request().Context(), currentUser(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, newCustomerView(cu))
}

func (s *Server) updateCustomer(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var p models.CustomerPatch
	if err := decodeJSON(c, &p); err != nil {
		return err
	}
	cu, err := s.store.UpdateCustomerAs(c.Request().Context(), currentUser(c), id, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newCustomerView(cu))
}

func (s *Server) deleteCustomer(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeleteCustomer(c.Request().Context(), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) listSLOs(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	slos, err := s.store.ListSLOs(ctx, currentUser(c), id)
	if err != nil {
		return err
	}
	imps, pms, err := s.store.CustomerImpacts(ctx, currentUser(c), id)
	if err != nil {
		return err
	}
	budgets := reports.SLOBudgets(slos, imps, pms, s.store.Now())
	views := mapSlice(slos, newSLOView)
	for i := range views {
		views[i].Budget = &budgets[i]
		if !currentUser(c).IsCustomer() {
			views[i] = views[i].withSLI(&slos[i])
		}
	}
	return page(c, views, "")
}

func (s *Server) createSLO(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in models.SLOInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	slo, err := s.store.CreateSLOAs(c.Request().Context(), currentUser(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, newSLOView(slo).withSLI(slo))
}
