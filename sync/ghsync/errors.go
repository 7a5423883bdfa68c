package ghsync

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/go-github/v60/github"
)

// IssueGone reports whether err is GitHub's 410 for a deleted issue.
func IssueGone(err error) bool {
	var e *github.ErrorResponse
	return errors.As(err, &e) && e.Response != nil && e.Response.StatusCode == http.StatusGone
}

// IssueMoved reports where a transferred issue went, from the 301 a write
// gets (NewClient's client follows redirects for reads only).
func IssueMoved(err error) (IssueRef, bool) {
	var e *github.ErrorResponse
	if !errors.As(err, &e) || e.Response == nil || e.Response.StatusCode != http.StatusMovedPermanently {
		return IssueRef{}, false
	}
	// A write to an issue's comments is redirected to the new issue's comments.
	loc, perr := url.Parse(e.Response.Header.Get("Location"))
	if perr != nil {
		return IssueRef{}, false
	}
	loc.Path, loc.RawQuery = strings.TrimSuffix(loc.Path, "/comments"), ""
	ref, perr := ParseIssueRef(loc.String())
	return ref, perr == nil
}
