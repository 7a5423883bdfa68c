package server

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/sharecheck"
	"github.com/amendsdev/amends/subscribe"
	"github.com/amendsdev/amends/web"
)

// The public page (/status): anyone, signed in or not, reads the public
// postmortems there. Its handlers never look at a session: the answer is
// the same for everyone, so a shared cache may keep it for a minute.

// publicPageLimit is how many postmortems a page of the list shows, and
// how many the feed carries.
const publicPageLimit = 30

// publicCacheControl lets browsers and proxies keep a public answer for a
// minute: a publication or a kept promise shows within one.
const publicCacheControl = "public, max-age=60"

// publicPageOn answers every /status route with the one 404 while the page
// is off, and hands its settings to the handler otherwise.
func (s *Server) publicPageOn(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		st, err := s.store.LoadPublicSettings(c.Request().Context())
		if err != nil {
			return err
		}
		if !st.Enabled {
			return errNotFound
		}
		c.Set("public_settings", st)
		return next(c)
	}
}

func publicSettingsOf(c echo.Context) models.PublicSettings {
	st, _ := c.Get("public_settings").(models.PublicSettings)
	return st
}

// statusPageData is what the public templates get.
type statusPageData struct {
	Settings      models.PublicSettings
	Title         string
	Description   string
	URL           string // the page's own absolute URL, for og:url
	Base          string
	OGType        string
	StaticVersion string
	Data          any
}

type statusListData struct {
	Items []models.PublicSummary
	Older string
}

// statusPage lists the public postmortems, newest first.
func (s *Server) statusPage(c echo.Context) error {
	var before uint
	if v := c.QueryParam("before"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil || n == 0 {
			return &models.ValidationError{Fields: map[string]string{"before": "is not a page of this list"}}
		}
		before = uint(n)
	}
	page, err := s.store.PublicPostmortems(c.Request().Context(), before, publicPageLimit)
	if err != nil {
		return err
	}
	st := publicSettingsOf(c)
	d := statusListData{Items: page.Items}
	if page.Before != 0 {
		d.Older = fmt.Sprintf("/status?before=%d", page.Before)
	}
	// The page's own address, without whatever else the link carried.
	self := "/status"
	if before != 0 {
		self = fmt.Sprintf("/status?before=%d", before)
	}
	desc := st.Description
	if desc == "" {
		desc = "The incidents " + st.OrganisationName + " wrote up for everyone: what happened, what we promised to do about it, and whether we did."
	}
	return s.renderStatus(c, "status/index", statusPageData{Settings: st, Title: st.Title + " · " + st.OrganisationName,
		Description: desc, URL: s.publicURL(self), OGType: "website", Data: d})
}

// statusPostmortemPage shows one public postmortem. Any other id, an
// internal or shared postmortem's as much as one that does not exist,
// answers the one 404.
func (s *Server) statusPostmortemPage(c echo.Context) error {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	pm, err := s.store.PublicPostmortem(c.Request().Context(), uint(id))
	if err != nil {
		return err
	}
	st := publicSettingsOf(c)
	return s.renderStatus(c, "status/postmortem", statusPageData{Settings: st, Title: pm.Title + " · " + st.OrganisationName,
		Description: publicDescription(pm), URL: s.publicURL(fmt.Sprintf("/status/postmortems/%d", pm.ID)),
		OGType: "article", Data: pm})
}

// publicDescription is a postmortem's description in link previews: its
// summary's first paragraph as plain text, at most 200 characters.
func publicDescription(pm *models.PublicPostmortem) string {
	text := web.PlainText(pm.ExternalSummary)
	if r := []rune(text); len(r) > 200 {
		text = string(r[:199]) + "…"
	}
	if text == "" {
		text = "What happened, and what we are doing about it."
	}
	return text
}

// statusFeed is the public Atom feed: new postmortems and kept promises.
func (s *Server) statusFeed(c echo.Context) error {
	items, kept, err := s.store.PublicFeed(c.Request().Context(), publicPageLimit)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := publicAtom(&buf, subscribe.Base(s.cfg.BaseURL), publicSettingsOf(c), items, kept, s.store.Now()); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", publicCacheControl)
	return c.Blob(http.StatusOK, "application/atom+xml; charset=utf-8", buf.Bytes())
}

// publicURL is the absolute address of a public path, from the base URL.
func (s *Server) publicURL(path string) string {
	return subscribe.Base(s.cfg.BaseURL) + path
}

// renderStatus writes a public page in its own layout: no session, no
// navigation, no script.
func (s *Server) renderStatus(c echo.Context, page string, d statusPageData) error {
	t, ok := s.pages[page]
	if !ok {
		return fmt.Errorf("no template for page %q", page)
	}
	d.Base, d.StaticVersion = subscribe.Base(s.cfg.BaseURL), web.StaticVersion
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "status_layout", d); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	c.Response().Header().Set("Cache-Control", publicCacheControl)
	return c.HTMLBlob(http.StatusOK, buf.Bytes())
}

// promiseState says how a promise stands, in the public's words.
func promiseState(p models.PublicPromise) string {
	switch p.Status {
	case models.StatusDone:
		if p.ClosedAt != nil {
			return "done on " + p.ClosedAt.UTC().Format("2 January 2006")
		}
		return "done"
	case models.StatusWontFix:
		return "won't do"
	case models.StatusInProgress:
		return "in progress"
	}
	// Blocked reads as open: no work is moving it.
	return "open"
}

// publishedAfter says when a postmortem was published relative to the
// incident's resolution ("published 5 h after resolution").
func publishedAfter(s models.PublicSummary) string {
	t := sharecheck.Timeliness(s.ResolvedAt, s.PublishedAt, time.Time{})
	if !t.Resolved || !t.Published {
		return ""
	}
	switch d := t.Elapsed; {
	case !s.PublishedAt.After(*s.ResolvedAt):
		return "published at resolution"
	case d < time.Hour:
		return fmt.Sprintf("published %d min after resolution", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("published %d h after resolution", int(d.Hours()))
	default:
		return fmt.Sprintf("published %d days after resolution", int(d.Hours()/24))
	}
}

// duration says how long an incident lasted, from start to resolution.
func duration(s models.PublicSummary) string {
	if s.StartedAt == nil || s.ResolvedAt == nil {
		return ""
	}
	d := s.ResolvedAt.Sub(*s.StartedAt).Round(time.Minute)
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		h, m := int(d.Hours()), int(d.Minutes())%60
		if m == 0 {
			return fmt.Sprintf("%d h", h)
		}
		return fmt.Sprintf("%d h %d min", h, m)
	default:
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	}
}

// promisesLine is the line on a postmortem's promises ("4 of 5 promises
// kept, 1 still open").
func promisesLine(s models.PublicSummary) string {
	if s.Made == 0 {
		return "no promises made"
	}
	line := fmt.Sprintf("%d of %d promises kept", s.Kept, s.Made)
	if s.Made == 1 {
		line = fmt.Sprintf("%d of 1 promise kept", s.Kept)
	}
	if s.Open > 0 {
		line += fmt.Sprintf(", %d still open", s.Open)
	}
	return line
}

// publicDay is a date as the public page writes it.
func publicDay(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2 January 2006")
}

// publicTime is a moment as the public page writes it, in UTC.
func publicTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2 January 2006, 15:04 UTC")
}
