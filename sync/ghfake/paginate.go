package ghfake

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

const (
	defaultPerPage = 30
	maxPerPage     = 100
)

// paginate cuts one page out of items as GitHub does (per_page defaults to
// 30 and is capped at 100; page counts from 1) and sets the Link header with
// prev, next, last and first, each present only where GitHub sends it.
func paginate[T any](w http.ResponseWriter, r *http.Request, items []T) []T {
	q := r.URL.Query()
	perPage := intParam(q.Get("per_page"), defaultPerPage)
	perPage = min(perPage, maxPerPage)
	page := intParam(q.Get("page"), 1)
	last := max(1, (len(items)+perPage-1)/perPage)
	var links []string
	link := func(n int, rel string) {
		q.Set("page", strconv.Itoa(n))
		u := basesOf(r).api + r.URL.Path + "?" + q.Encode()
		links = append(links, fmt.Sprintf("<%s>; rel=%q", u, rel))
	}
	if page > 1 {
		link(min(page-1, last), "prev")
	}
	if page < last {
		link(page+1, "next")
		link(last, "last")
	}
	if page > 1 {
		link(1, "first")
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	start := min((page-1)*perPage, len(items))
	return items[start:min(start+perPage, len(items))]
}

// intParam reads a positive integer parameter; GitHub ignores bad values.
func intParam(v string, fallback int) int {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return fallback
	}
	return n
}
