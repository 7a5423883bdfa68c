package server

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

// itemPatchForm reads an item patch from a form: only the fields the form
// sent, so that an inline status select changes the status alone. The
// staff item page and the portal share it; what a customer may change is
// the store's business (models.customerMayPatch), so both get the same
// validation and share rules as the API.
func itemPatchForm(c echo.Context) (models.ItemPatch, error) {
	var p models.ItemPatch
	form, err := c.FormParams()
	if err != nil {
		return p, err
	}
	f := newForm(c)
	for name, set := range map[string]func(string){
		"status":      func(v string) { p.Status = models.Some(v) },
		"priority":    func(v string) { p.Priority = models.Some(v) },
		"assignee":    func(v string) { p.Assignee = models.Some(v) },
		"title":       func(v string) { p.Title = models.Some(v) },
		"description": func(v string) { p.Description = models.Some(v) },
	} {
		if form.Has(name) {
			set(form.Get(name))
		}
	}
	if form.Has("due_date") {
		p.DueDate = models.Opt[models.Date]{Set: true, Null: true}
		if d := f.date("due_date"); d != nil {
			p.DueDate = models.Some(*d)
		}
	}
	p.ShareOverrides = formOverrides(c)
	return p, f.err()
}

// portalUpdateItem saves the portal's edit form of an item the customer's
// organisation owns. A refused save shows the page again with what was
// typed and why.
func (s *Server) portalUpdateItem(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := itemPatchForm(c)
	if err == nil {
		_, err = s.store.UpdateItem(c.Request().Context(), currentUser(c), id, p)
	}
	if err == nil {
		return s.redirectWith(c, fmt.Sprintf("/portal/items/%d", id), "Action item updated.")
	}
	apiErr := toAPIError(err)
	if apiErr == nil || apiErr.Status >= 500 || apiErr.Status == http.StatusNotFound {
		return err
	}
	d, derr := s.portalItemData(c, id)
	if derr != nil {
		return derr
	}
	d.EditError = apiErr.Message
	d.Findings, _ = refusedFindings(err)
	typedCustomerItem(&d.Edit, p)
	return s.render(c, apiErr.Status, "portal_item", d.Item.Title, "portal", d)
}

// typedCustomerItem puts the values of a refused patch back into the form.
func typedCustomerItem(v *customerItemView, p models.ItemPatch) {
	for _, f := range []struct {
		dst *string
		o   models.Opt[string]
	}{{&v.Title, p.Title}, {&v.Description, p.Description}, {&v.Status, p.Status}, {&v.Assignee, p.Assignee}} {
		if f.o.Set {
			*f.dst = f.o.V
		}
	}
	if p.DueDate.Set {
		v.DueDate = nil
		if !p.DueDate.Null {
			d := p.DueDate.V
			v.DueDate = &d
		}
	}
}
