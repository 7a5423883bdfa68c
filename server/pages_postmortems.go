package server

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/sli"
)

type postmortemsData struct {
	Postmortems []models.Postmortem
	Customers   []models.Customer
	Next        string
	Enums       enums
}

// enums are the choices of the forms.
type enums struct {
	Visibilities, Statuses, Severities, Owners, Types, Priorities, ItemStatuses []string
}

var formEnums = enums{models.Visibilities, models.PMStatuses, models.Severities, models.Owners,
	models.ItemTypes, models.Priorities, models.ItemStatuses}

func (s *Server) postmortemsPage(c echo.Context) error {
	q := newQuery(c)
	f := models.PostmortemFilter{Status: q.str("status"), Visibility: q.str("visibility"),
		Severity: q.str("severity"), CustomerID: q.id("customer_id"), Query: q.str("q")}
	p := q.page()
	q.check(f.Validate())
	if err := q.err(); err != nil {
		return err
	}
	ctx, u := c.Request().Context(), currentUser(c)
	pms, next, err := s.store.ListPostmortems(ctx, u, f, p)
	if err != nil {
		return err
	}
	customers, err := s.store.ListCustomers(ctx, u)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "postmortems", "Postmortems", "postmortems",
		postmortemsData{pms, customers, nextURL(c, next), formEnums})
}

type postmortemData struct {
	PM         *models.Postmortem
	Items      []models.ActionItem
	Impacts    []models.Impact
	SLOs       []models.SLO
	History    []models.AuditEvent
	ItemTitles map[uint]string // of the items the history names
	Sections   []models.JointSection
	SignOffs   []models.SignOff
	FollowUps  []models.ActionItem
	// FollowUpTitles name the earlier postmortems of the follow-ups.
	FollowUpTitles map[uint]string
	Review         *models.ShareReview
	Today          models.Date
	Enums          enums
	CanWrite       bool
	CanPublish     bool
	// Archived are the postmortem's archived items, for staff; admins
	// restore them.
	Archived   []models.ActionItem
	CanRestore bool
	// Measured is what the SLIs measured over the incident (staff page
	// only); MeasureNote says why nothing could be measured.
	Measured    []sli.Impact
	MeasureNote string
	MeasureOn   bool
}

func (s *Server) postmortemPage(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, u := c.Request().Context(), currentUser(c)
	d := postmortemData{Today: s.store.Today(), Enums: formEnums, CanWrite: u.Can(models.PermWriteItems)}
	if d.PM, err = s.store.GetPostmortem(ctx, u, id); err != nil {
		return err
	}
	d.CanPublish = u.Can(models.PermWritePostmortems) && d.PM.Status != models.PMPublished
	if d.Items, err = s.store.PostmortemItems(ctx, u, id); err != nil {
		return err
	}
	if d.Archived, err = s.store.ArchivedItems(ctx, u, id); err != nil {
		return err
	}
	d.CanRestore = u.Can(models.PermAdmin)
	if d.Impacts, err = s.store.ListImpacts(ctx, u, id); err != nil {
		return err
	}
	for _, cu := range d.PM.Customers {
		slos, err := s.store.ListSLOs(ctx, u, cu.ID)
		if err != nil {
			return err
		}
		d.SLOs = append(d.SLOs, slos...)
	}
	d.MeasureOn = s.cfg.SLI != nil
	if d.Measured, d.MeasureNote, err = s.measuredFor(ctx, u, d.PM); err != nil {
		return err
	}
	if d.History, err = s.store.PostmortemHistory(ctx, u, id); err != nil {
		return err
	}
	if d.ItemTitles, err = s.store.HistoryItemTitles(ctx, u, d.History); err != nil {
		return err
	}
	if d.FollowUps, err = s.store.FollowUps(ctx, u, id); err != nil {
		return err
	}
	if d.FollowUpTitles, err = s.store.PostmortemTitles(ctx, d.FollowUps); err != nil {
		return err
	}
	if d.PM.Visibility != models.VisibilityInternal && d.PM.Status != models.PMPublished {
		if d.Review, err = s.store.ReviewShare(ctx, u, id, nil); err != nil {
			return err
		}
	}
	if d.PM.Visibility == models.VisibilityJoint {
		if d.Sections, err = s.store.JointSections(ctx, u, id); err != nil {
			return err
		}
		if d.SignOffs, err = s.store.SignOffs(ctx, u, id); err != nil {
			return err
		}
	}
	return s.render(c, http.StatusOK, "postmortem", d.PM.Title, "postmortems", d)
}

type postmortemFormData struct {
	PM        *models.Postmortem
	Selected  map[uint]bool
	Customers []models.Customer
	Errors    map[string]string
	Enums     enums
	Action    string
	// Findings are what the share check refused a save for.
	Findings []models.ShareFinding
}

func (s *Server) renderPostmortemForm(c echo.Context, status int, pm *models.Postmortem, ids []uint, action string, errs map[string]string, findings ...models.ShareFinding) error {
	customers, err := s.store.ListCustomers(c.Request().Context(), currentUser(c))
	if err != nil {
		return err
	}
	sel := map[uint]bool{}
	for _, id := range ids {
		sel[id] = true
	}
	title := "New postmortem"
	if pm.ID != 0 {
		title = "Edit " + pm.Title
	}
	return s.render(c, status, "postmortem_form", title, "postmortems",
		postmortemFormData{pm, sel, customers, errs, formEnums, action, findings})
}

func (s *Server) newPostmortemPage(c echo.Context) error {
	pm := &models.Postmortem{Visibility: models.VisibilityInternal, Status: models.PMDraft, Severity: "SEV2"}
	return s.renderPostmortemForm(c, http.StatusOK, pm, nil, "/postmortems", nil)
}

func (s *Server) editPostmortemPage(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	pm, err := s.store.GetPostmortem(c.Request().Context(), currentUser(c), id)
	if err != nil {
		return err
	}
	var ids []uint
	for _, cu := range pm.Customers {
		ids = append(ids, cu.ID)
	}
	return s.renderPostmortemForm(c, http.StatusOK, pm, ids, fmt.Sprintf("/postmortems/%d", id), nil)
}

// formErrors re-renders a form with its field errors, or passes the error on.
func formErrors(err error) (map[string]string, bool) {
	var verr *models.ValidationError
	if errors.As(err, &verr) {
		return verr.Fields, true
	}
	return nil, false
}

// draftOf shows a refused form's values back to the user.
func draftOf(in models.PostmortemInput, id uint) *models.Postmortem {
	return &models.Postmortem{ID: id, Title: in.Title, Visibility: in.Visibility, Severity: in.Severity, Status: in.Status,
		StartedAt: in.StartedAt, DetectedAt: in.DetectedAt, ResolvedAt: in.ResolvedAt, Summary: in.Summary,
		Impact: in.Impact, RootCauses: in.RootCauses, Trigger: in.Trigger, Resolution: in.Resolution,
		Detection: in.Detection, WentWell: in.WentWell, WentWrong: in.WentWrong, GotLucky: in.GotLucky,
		Timeline: in.Timeline, SupportingLinks: in.SupportingLinks, ExternalSummary: in.ExternalSummary,
		ExternalImpact: in.ExternalImpact, ExternalCause: in.ExternalCause, ExternalNextSteps: in.ExternalNextSteps}
}

func (s *Server) createPostmortemForm(c echo.Context) error {
	in, err := postmortemForm(c)
	if err == nil {
		in.ShareOverrides = formOverrides(c)
		var pm *models.Postmortem
		if pm, err = s.store.CreatePostmortem(c.Request().Context(), currentUser(c), in); err == nil {
			return s.redirectWith(c, fmt.Sprintf("/postmortems/%d", pm.ID), "Postmortem created.")
		}
	}
	if errs, ok := formErrors(err); ok {
		return s.renderPostmortemForm(c, http.StatusBadRequest, draftOf(in, 0), in.CustomerIDs, "/postmortems", errs)
	}
	if findings, ok := refusedFindings(err); ok {
		return s.renderPostmortemForm(c, http.StatusUnprocessableEntity, draftOf(in, 0), in.CustomerIDs, "/postmortems", nil, findings...)
	}
	return err
}

func (s *Server) updatePostmortemForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	in, err := postmortemForm(c)
	if err == nil {
		p := patchOf(in)
		p.ShareOverrides = formOverrides(c)
		if _, err = s.store.UpdatePostmortem(c.Request().Context(), currentUser(c), id, p); err == nil {
			return s.redirectWith(c, fmt.Sprintf("/postmortems/%d", id), "Postmortem saved.")
		}
	}
	action := fmt.Sprintf("/postmortems/%d", id)
	if errs, ok := formErrors(err); ok {
		return s.renderPostmortemForm(c, http.StatusBadRequest, draftOf(in, id), in.CustomerIDs, action, errs)
	}
	if findings, ok := refusedFindings(err); ok {
		return s.renderPostmortemForm(c, http.StatusUnprocessableEntity, draftOf(in, id), in.CustomerIDs, action, nil, findings...)
	}
	return err
}

func (s *Server) publishForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/postmortems/%d", id)
	// The form sends key_0, reason_0, key_1, … for the findings shown.
	if _, _, err := s.store.Publish(c.Request().Context(), currentUser(c), id, formOverrides(c)); err != nil {
		if apiErr := toAPIError(err); apiErr != nil && apiErr.Status < 500 && apiErr.Status != 404 {
			s.setFlash(c, "Not published: "+apiErr.Message, true)
			return c.Redirect(http.StatusSeeOther, back)
		}
		return err
	}
	return s.redirectWith(c, back, "Published.")
}

// backWithError returns to a page with a flash naming what was refused.
func (s *Server) backWithError(c echo.Context, back string, err error) error {
	apiErr := toAPIError(err)
	if apiErr == nil || apiErr.Status >= 500 || apiErr.Status == http.StatusNotFound {
		return err
	}
	msg := apiErr.Message
	if findings, ok := refusedFindings(err); ok {
		msg += ": " + findingList(findings)
	}
	s.setFlash(c, msg, true)
	return c.Redirect(http.StatusSeeOther, back)
}

func (s *Server) addItemForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/postmortems/%d#items", id)
	in, err := itemForm(c)
	if err == nil {
		in.ShareOverrides = formOverrides(c)
		_, err = s.store.CreateItem(c.Request().Context(), currentUser(c), id, in)
	}
	if err != nil {
		return s.backWithError(c, back, err)
	}
	return s.redirectWith(c, back, "Action item added.")
}

func (s *Server) addImpactForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/postmortems/%d#impacts", id)
	f := newForm(c)
	in := models.ImpactInput{BadMinutes: f.number("bad_minutes")}
	if sloID := f.id("slo_id"); sloID != nil {
		in.SLOID = *sloID
	}
	if err = f.err(); err == nil {
		_, err = s.store.CreateImpact(c.Request().Context(), currentUser(c), id, in)
	}
	if err != nil {
		return s.backWithError(c, back, err)
	}
	return s.redirectWith(c, back, "Impact recorded.")
}

// correctImpactForm sets an impact's bad minutes to what the form says.
func (s *Server) correctImpactForm(c echo.Context) error {
	pmID, impactID, err := impactPath(c)
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/postmortems/%d#impacts", pmID)
	f := newForm(c)
	p := models.ImpactPatch{BadMinutes: models.Some(f.number("bad_minutes"))}
	if err = f.err(); err == nil {
		_, err = s.store.UpdateImpact(c.Request().Context(), currentUser(c), pmID, impactID, p)
	}
	if err != nil {
		return s.backWithError(c, back, err)
	}
	return s.redirectWith(c, back, "Impact corrected.")
}

func (s *Server) deleteImpactForm(c echo.Context) error {
	pmID, impactID, err := impactPath(c)
	if err != nil {
		return err
	}
	if err := s.store.DeleteImpact(c.Request().Context(), currentUser(c), pmID, impactID); err != nil {
		return err
	}
	return s.redirectWith(c, fmt.Sprintf("/postmortems/%d#impacts", pmID), "Impact deleted; the history keeps what it said.")
}

func (s *Server) addFollowUpForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/postmortems/%d#follow-ups", id)
	f := newForm(c)
	itemID := f.id("action_item_id")
	if err = f.err(); err == nil && itemID == nil {
		err = &models.ValidationError{Fields: map[string]string{"action_item_id": "is required"}}
	}
	if err == nil {
		err = s.store.AddFollowUp(c.Request().Context(), currentUser(c), id, *itemID)
	}
	if err != nil {
		return s.backWithError(c, back, err)
	}
	return s.redirectWith(c, back, "Follow-up linked.")
}
