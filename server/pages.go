package server

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/reports"
	"github.com/amendsdev/amends/web"
)

// pages holds one parsed template set per page: the layout plus the page,
// parsed once at start-up so that a broken template fails fast.
type pages map[string]*template.Template

var templateFuncs = template.FuncMap{
	"markdown": web.Markdown,
	"label":    web.Label,
	// fieldValue labels a value of an enumeration field, leaves text as is.
	"fieldValue": web.FieldValue,
	// verb is an audit action as it reads mid-sentence: "archived".
	"verb": func(action string) string { return strings.ToLower(web.Label(action)) },
	"date": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"dateInput": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format("2006-01-02T15:04")
	},
	"day": func(d *models.Date) string {
		if d == nil {
			return ""
		}
		return d.String()
	},
	"join": strings.Join,
	"query": func(v url.Values, key, value string) string {
		c := url.Values{}
		for k, vs := range v {
			c[k] = vs
		}
		c.Set(key, value)
		c.Del("cursor")
		return c.Encode()
	},
	"critical":         models.IsCritical,
	"sections":         sections,
	"externalSections": externalSections,
	"budgetShare":      budgetShare,
	"mins":             reports.FormatMinutes,
	"ptr":              ptr,
	"list":             func(v ...string) []string { return v },
	"div": func(a, b float64) float64 {
		if b == 0 {
			return 0
		}
		return a / b
	},
	// dict passes several values to a shared template.
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict: odd number of arguments")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
	"pct": func(f float64) string { return fmt.Sprintf("%.1f%%", f*100) },
	// The public page's words (pages_status.go).
	"promiseState":   promiseState,
	"publishedAfter": publishedAfter,
	"duration":       duration,
	"promisesLine":   promisesLine,
	"publicDay":      publicDay,
	"publicTime":     publicTime,
	// ago says how long, in hours up to two days and in days after.
	"ago": func(d time.Duration) string {
		if d < 48*time.Hour {
			return fmt.Sprintf("%.0f hours", d.Hours())
		}
		return fmt.Sprintf("%.0f days", d.Hours()/24)
	},
}

func loadPages() (pages, error) {
	names, err := fs.Glob(web.Templates, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := pages{}
	for _, name := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
		if base == "layout" || base == "partials" {
			continue
		}
		t, err := template.New(base).Funcs(templateFuncs).ParseFS(web.Templates, "templates/layout.html", "templates/partials.html", name)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		out[base] = t
	}
	return out, loadStatusPages(out)
}

// loadStatusPages parses the public pages (templates/status), each with
// their own layout, under "status/NAME".
func loadStatusPages(out pages) error {
	names, err := fs.Glob(web.Templates, "templates/status/*.html")
	if err != nil {
		return err
	}
	for _, name := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
		if base == "status/layout" {
			continue
		}
		t, err := template.New(base).Funcs(templateFuncs).ParseFS(web.Templates, "templates/status/layout.html", name)
		if err != nil {
			return fmt.Errorf("parse template %s: %w", name, err)
		}
		out[base] = t
	}
	return nil
}

// pageData is what every page template gets; Data is the page's own.
type pageData struct {
	Title, Section string
	User           *models.User
	CSRF           string
	Flash          *flash
	StaticVersion  string
	Query          url.Values
	Can            can
	Data           any
}

// can says what the signed-in user may do, for showing only usable forms.
type can struct {
	WriteItems, WritePostmortems, Comment, ManageCustomers, Admin bool
}

func canOf(u *models.User) can {
	return can{u.Can(models.PermWriteItems), u.Can(models.PermWritePostmortems), u.Can(models.PermComment),
		u.Can(models.PermManageCustomers), u.Can(models.PermAdmin)}
}

type flash struct {
	Message string
	Error   bool
}

// render writes a page. It renders into a buffer first so that a template
// error becomes a clean 500 page, never half a page.
func (s *Server) render(c echo.Context, status int, page, title, section string, data any) error {
	t, ok := s.pages[page]
	if !ok {
		return fmt.Errorf("no template for page %q", page)
	}
	pd := pageData{Title: title, Section: section, User: currentUser(c), CSRF: csrfToken(c),
		Flash: takeFlash(c), StaticVersion: web.StaticVersion, Query: c.QueryParams(), Can: canOf(currentUser(c)), Data: data}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", pd); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	return c.HTMLBlob(status, buf.Bytes())
}

const flashCookie = "amends_flash"

// setFlash leaves a message for the next page the browser opens.
func (s *Server) setFlash(c echo.Context, msg string, isError bool) {
	v := "ok:" + msg
	if isError {
		v = "error:" + msg
	}
	c.SetCookie(&http.Cookie{Name: flashCookie, Value: url.QueryEscape(v), Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(), MaxAge: 60})
}

func takeFlash(c echo.Context) *flash {
	ck, err := c.Cookie(flashCookie)
	if err != nil || ck.Value == "" {
		return nil
	}
	c.SetCookie(&http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1})
	v, err := url.QueryUnescape(ck.Value)
	if err != nil {
		return nil
	}
	kind, msg, _ := strings.Cut(v, ":")
	return &flash{Message: msg, Error: kind == "error"}
}

// redirectWith sets a flash message and redirects after a successful form
// post, so that reloading does not post again.
func (s *Server) redirectWith(c echo.Context, to, msg string) error {
	s.setFlash(c, msg, false)
	return c.Redirect(http.StatusSeeOther, to)
}

// wantsHTML tells page requests from API calls, for error rendering.
func wantsHTML(c echo.Context) bool {
	p := c.Request().URL.Path
	if strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/webhooks/") || p == "/metrics" || p == "/healthz" || p == "/readyz" {
		return false
	}
	return true
}

// renderError shows an error as a page in the site's look.
func (s *Server) renderError(c echo.Context, e *APIError) {
	heading := map[int]string{
		http.StatusNotFound: "Not found", http.StatusForbidden: "Not allowed",
		http.StatusInternalServerError: "Something went wrong", http.StatusTooManyRequests: "Slow down",
	}[e.Status]
	if heading == "" {
		heading = http.StatusText(e.Status)
	}
	msg := e.Message
	if e.Status == http.StatusNotFound {
		msg = "There is nothing here, or you may not see it."
	}
	data := struct{ Heading, Message string }{heading, msg}
	if err := s.render(c, e.Status, "error", heading, "", data); err != nil {
		s.log.Error("render error page", "request_id", requestID(c), "error", err)
		c.String(e.Status, heading)
	}
}
