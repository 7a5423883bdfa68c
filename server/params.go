package server

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

// pathID reads a numeric id from the path; anything else cannot exist.
func pathID(c echo.Context, name string) (uint, error) {
	id, err := strconv.ParseUint(c.Param(name), 10, 32)
	if err != nil || id == 0 {
		return 0, errNotFound
	}
	return uint(id), nil
}

// query reads list parameters, naming every bad one.
type query struct {
	values url.Values
	bad    map[string]string
}

func newQuery(c echo.Context) *query {
	return &query{values: c.QueryParams(), bad: map[string]string{}}
}

func (q *query) str(name string) string { return strings.TrimSpace(q.values.Get(name)) }

// list reads a comma-separated or repeated parameter.
func (q *query) list(name string) []string {
	var out []string
	for _, v := range q.values[name] {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func (q *query) id(name string) *uint {
	v := q.str(name)
	if v == "" {
		return nil
	}
	id, err := strconv.ParseUint(v, 10, 32)
	if err != nil || id == 0 {
		q.bad[name] = "must be a positive whole number (an id)"
		return nil
	}
	u := uint(id)
	return &u
}

func (q *query) boolean(name string) bool {
	switch q.str(name) {
	case "", "false", "0":
		return false
	case "true", "1":
		return true
	}
	q.bad[name] = "must be true or false"
	return false
}

func (q *query) page() models.Page {
	p := models.Page{Cursor: q.str("cursor"), Sort: q.str("sort")}
	if v := q.str("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > models.MaxPageSize {
			q.bad["limit"] = "must be a whole number from 1 to " + strconv.Itoa(models.MaxPageSize)
		}
		p.Limit = n
	}
	return p
}

// check adds a domain validation error's fields to the query's.
func (q *query) check(err error) {
	var verr *models.ValidationError
	if errors.As(err, &verr) {
		for k, v := range verr.Fields {
			q.bad[k] = v
		}
	}
}

func (q *query) err() error {
	if len(q.bad) == 0 {
		return nil
	}
	return &models.ValidationError{Fields: q.bad}
}

// nextURL is the request's own URL with the cursor of the next page.
func nextURL(c echo.Context, cursor string) string {
	if cursor == "" {
		return ""
	}
	v := c.QueryParams()
	v.Set("cursor", cursor)
	return c.Request().URL.Path + "?" + v.Encode()
}

// page writes a list page with the next page's URL in the body and in a
// Link header.
func page[T any](c echo.Context, items []T, cursor string) error {
	next := nextURL(c, cursor)
	if next != "" {
		c.Response().Header().Set("Link", "<"+next+`>; rel="next"`)
	}
	if items == nil {
		items = []T{}
	}
	return c.JSON(200, list[T]{Items: items, NextCursor: cursor, Next: next})
}
