package ghfake

import (
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"time"
)

type listQuery struct {
	state     string
	since     time.Time
	sort      string
	ascending bool
}

// parseListQuery reads the list parameters amends uses and rejects bad
// values with 422, as GitHub does.
func parseListQuery(r *http.Request) (listQuery, string, bool) {
	q := r.URL.Query()
	lq := listQuery{
		state:     cmp.Or(q.Get("state"), "open"),
		sort:      cmp.Or(q.Get("sort"), "created"),
		ascending: q.Get("direction") == "asc",
	}
	if !slices.Contains([]string{"open", "closed", "all"}, lq.state) {
		return lq, "state", false
	}
	if !slices.Contains([]string{"created", "updated", "comments"}, lq.sort) {
		return lq, "sort", false
	}
	if d := q.Get("direction"); d != "" && d != "asc" && d != "desc" {
		return lq, "direction", false
	}
	if v := q.Get("since"); v != "" {
		since, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return lq, "since", false
		}
		lq.since = since
	}
	return lq, "", true
}

func (lq listQuery) keep(is *issue) bool {
	return !is.gone() &&
		(lq.state == "all" || lq.state == is.state) &&
		!is.updatedAt.Before(lq.since)
}

func (lq listQuery) compare(a, b *issue) int {
	var c int
	switch lq.sort {
	case "updated":
		c = a.updatedAt.Compare(b.updatedAt)
	case "comments":
		c = cmp.Compare(len(a.comments), len(b.comments))
	default:
		c = a.createdAt.Compare(b.createdAt)
	}
	c = cmp.Or(c, cmp.Compare(a.number, b.number))
	if !lq.ascending {
		c = -c
	}
	return c
}

// listIssues lists a repository's issues and, as GitHub does, its pull
// requests, which carry a pull_request key.
func (s *Server) listIssues(w http.ResponseWriter, r *http.Request) {
	rp, ok := s.repoOf(r)
	if !ok {
		notFound(w, docsIssues+"#list-repository-issues")
		return
	}
	lq, field, ok := parseListQuery(r)
	if !ok {
		validationFailed(w, "Issue", field, "invalid", docsIssues+"#list-repository-issues")
		return
	}
	var matched []*issue
	for _, is := range rp.issues {
		if lq.keep(is) {
			matched = append(matched, is)
		}
	}
	slices.SortFunc(matched, lq.compare)
	out := []issueJSON{}
	for _, is := range paginate(w, r, matched) {
		out = append(out, s.renderIssue(basesOf(r), rp, is))
	}
	writeJSON(w, http.StatusOK, out)
}

type createRequest struct {
	Title     string   `json:"title"`
	Body      string   `json:"body"`
	Labels    []string `json:"labels"`
	Assignees []string `json:"assignees"`
	Assignee  string   `json:"assignee"`
}

func (s *Server) createIssue(w http.ResponseWriter, r *http.Request) {
	rp, ok := s.repoOf(r)
	if !ok {
		notFound(w, docsIssues+"#create-an-issue")
		return
	}
	var req createRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		badJSON(w, err)
		return
	}
	if req.Title == "" {
		validationFailed(w, "Issue", "title", "missing_field", docsIssues+"#create-an-issue")
		return
	}
	if req.Assignee != "" && !slices.Contains(req.Assignees, req.Assignee) {
		req.Assignees = append(req.Assignees, req.Assignee)
	}
	is := s.addIssue(rp, NewIssue{Title: req.Title, Body: req.Body, Labels: req.Labels, Assignees: req.Assignees}, false)
	out := s.renderIssue(basesOf(r), rp, is)
	w.Header().Set("Location", out.URL)
	writeJSON(w, http.StatusCreated, out)
}
