package server

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

type signOffView struct {
	Side     string    `json:"side"`
	Customer *uint     `json:"customer_id"`
	By       string    `json:"by"`
	SignedAt time.Time `json:"signed_at"`
}

// newSignOffView names who signed; to a customer, the provider's people
// appear as the provider.
func newSignOffView(viewer *models.User, so *models.SignOff) signOffView {
	v := signOffView{Side: "provider", By: so.User.Name, SignedAt: so.SignedAt}
	if so.CustomerID != 0 {
		id := so.CustomerID
		v.Side, v.Customer = "customer", &id
	}
	if viewer.IsCustomer() && so.CustomerID != *viewer.CustomerID {
		v.By = v.Side
	}
	return v
}

func (s *Server) listJointSections(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	secs, err := s.store.JointSections(c.Request().Context(), currentUser(c), id)
	if err != nil {
		return err
	}
	return page(c, secs, "")
}

func (s *Server) saveJointSection(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	customerID, err := pathID(c, "customer_id")
	if err != nil {
		return err
	}
	var in models.JointSectionInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	sec, err := s.store.SaveJointSection(c.Request().Context(), currentUser(c), id, customerID, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sec)
}

func (s *Server) listSignOffs(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u := currentUser(c)
	sos, err := s.store.SignOffs(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	return page(c, mapSlice(sos, func(so *models.SignOff) signOffView { return newSignOffView(u, so) }), "")
}

func (s *Server) signOff(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u := currentUser(c)
	so, err := s.store.SignOff(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, newSignOffView(u, so))
}

func (s *Server) listFollowUps(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u := currentUser(c)
	items, err := s.store.FollowUps(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	return page(c, s.itemViews(u, items), "")
}

func (s *Server) addFollowUp(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		ActionItemID uint `json:"action_item_id"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u := currentUser(c)
	if err := s.store.AddFollowUp(c.Request().Context(), u, id, in.ActionItemID); err != nil {
		return err
	}
	items, err := s.store.FollowUps(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, list[any]{Items: s.itemViews(u, items)})
}
