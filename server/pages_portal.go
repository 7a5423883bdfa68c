package server

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

// The portal renders customer views only (customerPostmortemView,
// customerItemView), never the models, so that a template cannot show an
// internal field by mistake.

type portalPM struct {
	PM                   customerPostmortemView
	Ours, Yours, Overdue int
}

type portalData struct {
	Postmortems []portalPM
	Items       []customerItemView
	Titles      map[uint]string
	Reviews     []issuedView
}

// portalPage is the customer's start page: what was shared with its
// organisation and the live state of every item on it.
func (s *Server) portalPage(c echo.Context) error {
	ctx, u := c.Request().Context(), currentUser(c)
	pms, _, err := s.store.ListPostmortems(ctx, u, models.PostmortemFilter{}, models.Page{Limit: models.MaxPageSize})
	if err != nil {
		return err
	}
	items, _, err := s.store.ListItems(ctx, u, models.ItemFilter{}, models.Page{Limit: models.MaxPageSize, Sort: "due_date"})
	if err != nil {
		return err
	}
	today := s.store.Today()
	d := portalData{Titles: map[uint]string{}}
	if d.Reviews, err = s.issuedViews(c); err != nil {
		return err
	}
	byPM := map[uint]*portalPM{}
	for i := range pms {
		d.Postmortems = append(d.Postmortems, portalPM{PM: newCustomerPostmortemView(&pms[i])})
		d.Titles[pms[i].ID] = pms[i].Title
	}
	for i := range d.Postmortems {
		byPM[d.Postmortems[i].PM.ID] = &d.Postmortems[i]
	}
	for i := range items {
		v := newCustomerItemView(&items[i], today)
		d.Items = append(d.Items, v)
		p := byPM[v.PostmortemID]
		switch {
		case p == nil || !items[i].IsOpen():
		case v.Owner == models.OwnerCustomer:
			p.Yours++
		default:
			p.Ours++
		}
		if p != nil && v.Overdue {
			p.Overdue++
		}
	}
	return s.render(c, http.StatusOK, "portal", "Postmortems shared with you", "portal", d)
}

type portalPostmortemData struct {
	PM        customerPostmortemView
	Joint     bool
	Section   models.JointSection
	SignOffs  []signOffView
	Signed    bool
	Items     []customerItemView
	FollowUps []customerItemView
	Enums     enums
}

func (s *Server) portalPostmortemPage(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, u := c.Request().Context(), currentUser(c)
	pm, err := s.store.GetPostmortem(ctx, u, id)
	if err != nil {
		return err
	}
	today := s.store.Today()
	d := portalPostmortemData{PM: newCustomerPostmortemView(pm), Joint: pm.Visibility == models.VisibilityJoint, Enums: formEnums}
	items, err := s.store.PostmortemItems(ctx, u, id)
	if err != nil {
		return err
	}
	d.Items = mapSlice(items, func(a *models.ActionItem) customerItemView { return newCustomerItemView(a, today) })
	follow, err := s.store.FollowUps(ctx, u, id)
	if err != nil {
		return err
	}
	d.FollowUps = mapSlice(follow, func(a *models.ActionItem) customerItemView { return newCustomerItemView(a, today) })
	if d.Joint {
		if err := s.loadJoint(c, u, id, &d); err != nil {
			return err
		}
	}
	return s.render(c, http.StatusOK, "portal_postmortem", pm.Title, "portal", d)
}

func (s *Server) loadJoint(c echo.Context, u *models.User, id uint, d *portalPostmortemData) error {
	ctx := c.Request().Context()
	secs, err := s.store.JointSections(ctx, u, id)
	if err != nil {
		return err
	}
	if len(secs) > 0 {
		d.Section = secs[0]
	}
	sos, err := s.store.SignOffs(ctx, u, id)
	if err != nil {
		return err
	}
	for i := range sos {
		d.SignOffs = append(d.SignOffs, newSignOffView(u, &sos[i]))
		if sos[i].CustomerID == *u.CustomerID {
			d.Signed = true
		}
	}
	return nil
}

type portalItemData struct {
	Item     customerItemView
	PMTitle  string
	Own      bool
	Comments []commentView
	History  []eventView
	Enums    enums
	// Edit holds the edit form's values: the item's, or what was typed
	// in a save that was refused, with why.
	Edit      customerItemView
	EditError string
	Findings  []models.ShareFinding
}

func (s *Server) portalItemPage(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.portalItemData(c, id)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "portal_item", d.Item.Title, "portal", d)
}

func (s *Server) portalItemData(c echo.Context, id uint) (*portalItemData, error) {
	ctx, u := c.Request().Context(), currentUser(c)
	it, err := s.store.GetItem(ctx, u, id)
	if err != nil {
		return nil, err
	}
	pm, err := s.store.GetPostmortem(ctx, u, it.PostmortemID)
	if err != nil {
		return nil, err
	}
	d := &portalItemData{Item: newCustomerItemView(it, s.store.Today()), PMTitle: pm.Title, Own: u.CanEditItem(it), Enums: formEnums}
	d.Edit = d.Item
	comments, err := s.store.ListComments(ctx, u, id)
	if err != nil {
		return nil, err
	}
	d.Comments = mapSlice(comments, func(cm *models.Comment) commentView { return newCommentView(u, cm) })
	events, err := s.store.ItemHistory(ctx, u, id)
	if err != nil {
		return nil, err
	}
	d.History = mapSlice(events, newEventView)
	return d, nil
}

func (s *Server) portalComment(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/portal/items/%d#comments", id)
	if _, err := s.store.AddComment(c.Request().Context(), currentUser(c), id, models.CommentInput{Body: c.FormValue("body")}); err != nil {
		return s.backWithError(c, back, err)
	}
	return s.redirectWith(c, back, "Comment added.")
}

func (s *Server) portalAddItem(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/portal/postmortems/%d#items", id)
	in, err := itemForm(c)
	if err == nil {
		_, err = s.store.CreateItem(c.Request().Context(), currentUser(c), id, in)
	}
	if err != nil {
		return s.backWithError(c, back, err)
	}
	return s.redirectWith(c, back, "Your action item was added.")
}

func (s *Server) portalSaveSection(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u := currentUser(c)
	back := fmt.Sprintf("/portal/postmortems/%d#your-part", id)
	in := models.JointSectionInput{Impact: c.FormValue("impact"), WentWell: c.FormValue("went_well"),
		WentWrong: c.FormValue("went_wrong"), GotLucky: c.FormValue("got_lucky")}
	if _, err := s.store.SaveJointSection(c.Request().Context(), u, id, *u.CustomerID, in); err != nil {
		return s.backWithError(c, back, err)
	}
	return s.redirectWith(c, back, "Your part was saved.")
}

// signOffForm marks the signed-in side of a joint postmortem ready, from
// the portal or the staff page.
func (s *Server) signOffForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u := currentUser(c)
	back := fmt.Sprintf("/postmortems/%d", id)
	if u.IsCustomer() {
		back = "/portal" + back
	}
	if _, err := s.store.SignOff(c.Request().Context(), u, id); err != nil {
		return s.backWithError(c, back, err)
	}
	return s.redirectWith(c, back, "Signed off.")
}
