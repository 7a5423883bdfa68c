package ghfake

import (
	"encoding/json"
	"net/http"
	"slices"
)

type updateRequest struct {
	Title       *string   `json:"title"`
	Body        *string   `json:"body"`
	State       *string   `json:"state"`
	StateReason *string   `json:"state_reason"`
	Labels      *[]string `json:"labels"`
	Assignees   *[]string `json:"assignees"`
}

func (u updateRequest) invalidField() string {
	if u.State != nil && *u.State != "open" && *u.State != "closed" {
		return "state"
	}
	if u.StateReason != nil && !slices.Contains([]string{"completed", "not_planned", "reopened"}, *u.StateReason) {
		return "state_reason"
	}
	if u.Title != nil && *u.Title == "" {
		return "title"
	}
	return ""
}

// updateIssue edits an issue. Like GitHub it leaves updated_at alone when
// the request changes nothing, so a repeated close is not a new update.
func (s *Server) updateIssue(w http.ResponseWriter, r *http.Request, rp *repo, is *issue) {
	var req updateRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		badJSON(w, err)
		return
	}
	if field := req.invalidField(); field != "" {
		validationFailed(w, "Issue", field, "invalid", docsIssues+"#update-an-issue")
		return
	}
	if s.applyUpdate(is, req) {
		s.touch(is)
	}
	writeJSON(w, http.StatusOK, s.renderIssue(basesOf(r), rp, is))
}

func (s *Server) applyUpdate(is *issue, req updateRequest) bool {
	changed := false
	set := func(dst *string, v *string) {
		if v != nil && *v != *dst {
			*dst, changed = *v, true
		}
	}
	setList := func(dst *[]string, v *[]string) {
		if v != nil && !slices.Equal(*v, *dst) {
			*dst, changed = slices.Clone(*v), true
		}
	}
	set(&is.title, req.Title)
	set(&is.body, req.Body)
	setList(&is.labels, req.Labels)
	setList(&is.assignees, req.Assignees)
	state, reason := is.state, ""
	if req.State != nil {
		state = *req.State
	}
	if req.StateReason != nil && *req.StateReason != "reopened" {
		reason = *req.StateReason
	}
	if s.setState(is, state, reason, s.login) {
		changed = true
	}
	return changed
}
