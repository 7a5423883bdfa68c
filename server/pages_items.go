package server

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/web"
)

type itemsData struct {
	Items     []models.ActionItem
	Titles    map[uint]string
	Customers []models.Customer
	Today     models.Date
	Next      string
	Enums     enums
	CanWrite  bool
}

func (s *Server) itemsPage(c echo.Context) error {
	q := newQuery(c)
	f := models.ItemFilter{Status: q.list("status"), Priority: q.list("priority"), Owner: q.str("owner"),
		CustomerID: q.id("customer_id"), Assignee: q.str("assignee"), Overdue: q.boolean("overdue")}
	p := q.page()
	if p.Sort == "" {
		p.Sort = "due_date"
	}
	q.check(f.Validate())
	if err := q.err(); err != nil {
		return err
	}
	ctx, u := c.Request().Context(), currentUser(c)
	items, next, err := s.store.ListItems(ctx, u, f, p)
	if err != nil {
		return err
	}
	titles, err := s.store.PostmortemTitles(ctx, items)
	if err != nil {
		return err
	}
	customers, err := s.store.ListCustomers(ctx, u)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "items", "Action items", "items", itemsData{items, titles, customers,
		s.store.Today(), nextURL(c, next), formEnums, u.Can(models.PermWriteItems)})
}

// bulkStatusForm sets one status on every checked item; each change is
// its own audited update, and a refused one is reported, not hidden.
func (s *Server) bulkStatusForm(c echo.Context) error {
	f := newForm(c)
	if _, err := c.FormParams(); err != nil {
		return err
	}
	ids, status := f.ids("ids"), c.FormValue("status")
	back := "/items"
	if r := c.FormValue("back"); safeNext(r) != "" {
		back = r
	}
	if len(ids) == 0 {
		s.setFlash(c, "Select at least one item.", true)
		return c.Redirect(http.StatusSeeOther, back)
	}
	for _, id := range ids {
		it, err := s.store.UpdateItem(c.Request().Context(), currentUser(c), id, models.ItemPatch{Status: models.Some(status)})
		if err != nil {
			return s.backWithError(c, back, fmt.Errorf("item %d: %w", id, err))
		}
		s.itemChanged(it)
	}
	return s.redirectWith(c, back, fmt.Sprintf("%d items set to %s.", len(ids), web.Label(status)))
}

type itemData struct {
	Item     *models.ActionItem
	PM       *models.Postmortem
	Comments []models.Comment
	History  []models.AuditEvent
	// ItemTitles name the item in its history lines.
	ItemTitles map[uint]string
	Today      models.Date
	Enums      enums
	CanWrite   bool
	// GitHubOn is whether the GitHub sync is configured.
	GitHubOn bool
	// Edit holds the update form's values: the item's, or what was typed
	// in a save the share check refused, with its findings.
	Edit           *models.ActionItem
	UpdateFindings []models.ShareFinding
	// Comment is a comment the share check refused, as typed.
	Comment         models.CommentInput
	CommentFindings []models.ShareFinding
	// ArchivedComments are shown to staff, with a restore button for admins.
	ArchivedComments []models.Comment
	CanRestore       bool
}

func (s *Server) itemPage(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.itemData(c, id)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "item", d.Item.Title, "items", d)
}

func (s *Server) itemData(c echo.Context, id uint) (*itemData, error) {
	ctx, u := c.Request().Context(), currentUser(c)
	d := &itemData{Today: s.store.Today(), Enums: formEnums, CanWrite: u.Can(models.PermWriteItems), GitHubOn: s.cfg.GitHub != nil}
	var err error
	if d.Item, err = s.store.GetItem(ctx, u, id); err != nil {
		return nil, err
	}
	edit := *d.Item
	d.Edit = &edit
	if d.PM, err = s.store.GetPostmortem(ctx, u, d.Item.PostmortemID); err != nil {
		return nil, err
	}
	if d.Comments, err = s.store.ListComments(ctx, u, id); err != nil {
		return nil, err
	}
	if d.History, err = s.store.ItemHistory(ctx, u, id); err != nil {
		return nil, err
	}
	d.ItemTitles = map[uint]string{d.Item.ID: d.Item.Title}
	if d.ArchivedComments, err = s.store.ArchivedComments(ctx, u, id); err != nil {
		return nil, err
	}
	d.CanRestore = u.Can(models.PermAdmin)
	return d, nil
}

// refusedItemSave shows the item page again with what was typed and the
// findings the share check refused it for.
func (s *Server) refusedItemSave(c echo.Context, id uint, findings []models.ShareFinding, typed func(d *itemData)) error {
	d, err := s.itemData(c, id)
	if err != nil {
		return err
	}
	typed(d)
	return s.render(c, http.StatusUnprocessableEntity, "item", d.Item.Title, "items", d)
}

// updateItemForm changes the fields the form sent: the inline status
// select sends only the status, the item page all of them.
func (s *Server) updateItemForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := itemPatchForm(c)
	back := fmt.Sprintf("/items/%d", id)
	if r := safeNext(c.FormValue("back")); r != "" {
		back = r
	}
	var it *models.ActionItem
	if err == nil {
		it, err = s.store.UpdateItem(c.Request().Context(), currentUser(c), id, p)
	}
	if findings, ok := refusedFindings(err); ok {
		return s.refusedItemSave(c, id, findings, func(d *itemData) {
			d.UpdateFindings = findings
			typedItem(d.Edit, p)
		})
	}
	if err != nil {
		return s.backWithError(c, back, err)
	}
	s.itemChanged(it)
	return s.redirectWith(c, back, "Action item updated.")
}

func (s *Server) addCommentForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/items/%d#comments", id)
	in := models.CommentInput{Body: c.FormValue("body"), CustomerVisible: c.FormValue("customer_visible") != "",
		ShareOverrides: formOverrides(c)}
	_, err = s.store.AddComment(c.Request().Context(), currentUser(c), id, in)
	if findings, ok := refusedFindings(err); ok {
		return s.refusedItemSave(c, id, findings, func(d *itemData) { d.Comment, d.CommentFindings = in, findings })
	}
	if err != nil {
		return s.backWithError(c, back, err)
	}
	return s.redirectWith(c, back, "Comment added.")
}

// typedItem puts the values of a refused patch back into the form.
func typedItem(it *models.ActionItem, p models.ItemPatch) {
	for _, f := range []struct {
		dst *string
		o   models.Opt[string]
	}{{&it.Title, p.Title}, {&it.Description, p.Description}, {&it.Status, p.Status}, {&it.Priority, p.Priority}, {&it.Assignee, p.Assignee}} {
		if f.o.Set {
			*f.dst = f.o.V
		}
	}
	if p.DueDate.Set {
		it.DueDate = nil
		if !p.DueDate.Null {
			d := p.DueDate.V
			it.DueDate = &d
		}
	}
}
