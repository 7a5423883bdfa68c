package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

// Creating and editing customers in the browser: the same inputs and the
// same domain calls as POST and PATCH /api/v1/customers.

type customerFormData struct {
	ID       uint // 0: a new customer
	In       models.CustomerInput
	Contacts string
	Errors   map[string]string
	Zones    []string
}

// commonZones are offered as suggestions; any IANA zone is accepted.
var commonZones = []string{"UTC", "Europe/London", "Europe/Berlin", "Europe/Paris", "America/New_York",
	"America/Chicago", "America/Los_Angeles", "America/Sao_Paulo", "Asia/Tokyo", "Asia/Singapore",
	"Asia/Kolkata", "Australia/Sydney"}

func (s *Server) renderCustomerForm(c echo.Context, status int, d customerFormData) error {
	d.Zones = commonZones
	if d.Contacts == "" {
		d.Contacts = strings.Join(d.In.Contacts, "\n")
	}
	title := "New customer"
	if d.ID != 0 {
		title = "Edit " + d.In.Name
	}
	return s.render(c, status, "admin_customer_form", title, "customers", d)
}

func (s *Server) newCustomerPage(c echo.Context) error {
	return s.renderCustomerForm(c, http.StatusOK, customerFormData{In: models.CustomerInput{TimeZone: "UTC"}})
}

func (s *Server) createCustomerForm(c echo.Context) error {
	f := newForm(c)
	in := customerForm(f)
	cu, err := s.store.CreateCustomerAs(c.Request().Context(), currentUser(c), in)
	if err == nil {
		return s.redirectWith(c, fmt.Sprintf("/customers/%d", cu.ID), fmt.Sprintf("Customer %s created. Add its SLOs next.", cu.Name))
	}
	fields, status, ok := formFailure(err)
	if !ok {
		return err
	}
	return s.renderCustomerForm(c, status, customerFormData{In: in, Contacts: f.str("contacts"), Errors: fields})
}

func (s *Server) editCustomerPage(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	cu, err := s.store.GetCustomer(c.Request().Context(), currentUser(c), id)
	if err != nil {
		return err
	}
	in := models.CustomerInput{Name: cu.Name, Slug: cu.Slug, TimeZone: cu.TimeZone, Contacts: cu.Contacts}
	return s.renderCustomerForm(c, http.StatusOK, customerFormData{ID: id, In: in})
}

// updateCustomerForm sets every field the form shows, as a PATCH naming
// them all would.
func (s *Server) updateCustomerForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	f := newForm(c)
	in := customerForm(f)
	p := models.CustomerPatch{Name: models.Some(in.Name), Slug: models.Some(in.Slug), TimeZone: models.Some(in.TimeZone),
		Contacts: models.Some(in.Contacts)}
	cu, err := s.store.UpdateCustomerAs(c.Request().Context(), currentUser(c), id, p)
	if err == nil {
		return s.redirectWith(c, fmt.Sprintf("/customers/%d", cu.ID), "Customer saved.")
	}
	fields, status, ok := formFailure(err)
	if !ok {
		return err
	}
	return s.renderCustomerForm(c, status, customerFormData{ID: id, In: in, Contacts: f.str("contacts"), Errors: fields})
}
