package server

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

// A customer's SLOs in the browser: list, add, edit and delete, and the
// OpenSLO upload, on one page; the same domain calls as the API.

type slosData struct {
	Customer *models.Customer
	SLOs     []models.SLO
	// Form is the add form: empty, or what was typed when it was refused.
	Form    sloFormData
	Methods []string
}

type sloFormData struct {
	CustomerID uint
	ID         uint // 0: a new SLO
	In         models.SLOInput
	// Target and Window are as typed, so that a refused value is shown back.
	Target, Window string
	Errors         map[string]string
	Methods        []string
}

var budgetingMethods = []string{"Occurrences", "Timeslices", "RatioTimeslices"}

func sloPath(customerID uint) string { return fmt.Sprintf("/customers/%d/slos", customerID) }

func (s *Server) renderSLOs(c echo.Context, status int, customerID uint, form sloFormData) error {
	ctx, u := c.Request().Context(), currentUser(c)
	cu, err := s.store.GetCustomer(ctx, u, customerID)
	if err != nil {
		return err
	}
	slos, err := s.store.ListSLOs(ctx, u, customerID)
	if err != nil {
		return err
	}
	form.CustomerID, form.Methods = customerID, budgetingMethods
	return s.render(c, status, "admin_slos", "SLOs of "+cu.Name, "customers",
		slosData{Customer: cu, SLOs: slos, Form: form, Methods: budgetingMethods})
}

func (s *Server) slosPage(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	return s.renderSLOs(c, http.StatusOK, id, sloFormData{Target: "0.999", Window: "28"})
}

func (s *Server) createSLOForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	f := newForm(c)
	in := sloForm(f)
	slo, err := s.store.CreateSLOAs(c.Request().Context(), currentUser(c), id, in)
	if err == nil {
		return s.redirectWith(c, sloPath(id), fmt.Sprintf("SLO %s added.", slo.DisplayName))
	}
	fields, status, ok := formFailure(err)
	if !ok {
		return err
	}
	return s.renderSLOs(c, status, id, sloFormData{In: in, Target: f.str("target"), Window: f.str("window_days"), Errors: f.merge(fields)})
}

func (s *Server) editSLOPage(c echo.Context) error {
	cid, id, err := sloIDs(c)
	if err != nil {
		return err
	}
	slo, err := s.store.GetSLO(c.Request().Context(), currentUser(c), cid, id)
	if err != nil {
		return err
	}
	in := models.SLOInput{Name: slo.Name, DisplayName: slo.DisplayName, Description: slo.Description, Target: slo.Target,
		WindowDays: slo.WindowDays, BudgetingMethod: slo.BudgetingMethod, CalendarDuration: slo.CalendarDuration,
		CalendarStart: slo.CalendarStart, CalendarTimeZone: slo.CalendarTimeZone}
	return s.renderSLOForm(c, http.StatusOK, sloFormData{CustomerID: cid, ID: id, In: in,
		Target: strconv.FormatFloat(slo.Target, 'f', -1, 64), Window: strconv.Itoa(slo.WindowDays)})
}

func (s *Server) renderSLOForm(c echo.Context, status int, d sloFormData) error {
	d.Methods = budgetingMethods
	return s.render(c, status, "admin_slo_form", "Edit SLO "+d.In.Name, "customers", d)
}

func (s *Server) updateSLOForm(c echo.Context) error {
	cid, id, err := sloIDs(c)
	if err != nil {
		return err
	}
	f := newForm(c)
	in := sloForm(f)
	slo, err := s.store.UpdateSLO(c.Request().Context(), currentUser(c), cid, id, in)
	if err == nil {
		return s.redirectWith(c, sloPath(cid), fmt.Sprintf("SLO %s saved.", slo.DisplayName))
	}
	fields, status, ok := formFailure(err)
	if !ok {
		return err
	}
	return s.renderSLOForm(c, status, sloFormData{CustomerID: cid, ID: id, In: in, Target: f.str("target"),
		Window: f.str("window_days"), Errors: f.merge(fields)})
}

func (s *Server) deleteSLOForm(c echo.Context) error {
	cid, id, err := sloIDs(c)
	if err != nil {
		return err
	}
	slo, err := s.store.DeleteSLO(c.Request().Context(), currentUser(c), cid, id)
	if err != nil {
		return s.backWithError(c, sloPath(cid), err)
	}
	return s.redirectWith(c, sloPath(cid), fmt.Sprintf("SLO %s deleted.", slo.DisplayName))
}

func sloIDs(c echo.Context) (customerID, id uint, err error) {
	if customerID, err = pathID(c, "id"); err != nil {
		return 0, 0, err
	}
	id, err = pathID(c, "slo_id")
	return customerID, id, err
}
