package ghfake

import (
	"encoding/json"
	"net/http"
	"time"
)

func (s *Server) listComments(w http.ResponseWriter, r *http.Request, rp *repo, is *issue) {
	var since time.Time
	if v := r.URL.Query().Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			validationFailed(w, "IssueComment", "since", "invalid", docsComments+"#list-issue-comments")
			return
		}
		since = t
	}
	var matched []*comment
	for _, c := range is.comments {
		if !c.updatedAt.Before(since) {
			matched = append(matched, c)
		}
	}
	out := []commentJSON{}
	for _, c := range paginate(w, r, matched) {
		out = append(out, s.renderComment(basesOf(r), rp, is, c))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) createComment(w http.ResponseWriter, r *http.Request, rp *repo, is *issue) {
	var req struct {
		Body string `json:"body"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		badJSON(w, err)
		return
	}
	if req.Body == "" {
		validationFailed(w, "IssueComment", "body", "missing_field", docsComments+"#create-an-issue-comment")
		return
	}
	out := s.renderComment(basesOf(r), rp, is, s.addComment(is, req.Body, s.login))
	w.Header().Set("Location", out.URL)
	writeJSON(w, http.StatusCreated, out)
}
