package ghfake

import (
	"fmt"
	"slices"
	"time"
)

// The helpers below change the fake directly, as a person on github.com
// would, without going through the API: no request is counted and no rate
// limit is used. They panic on an unknown repository or issue, a mistake in
// the test itself.

// CreateRepo makes an empty repository ("owner/name").
func (s *Server) CreateRepo(fullName string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ensureRepo(fullName)
}

// CreateIssue opens an issue, creating the repository if needed, and
// returns its number.
func (s *Server) CreateIssue(fullName string, in NewIssue) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addIssue(s.ensureRepo(fullName), in, false).number
}

// CreatePullRequest opens a pull request, which the issues list also returns.
func (s *Server) CreatePullRequest(fullName string, in NewIssue) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addIssue(s.ensureRepo(fullName), in, true).number
}

// CloseIssue closes an issue with a state_reason ("completed" when empty,
// or "not_planned").
func (s *Server) CloseIssue(fullName string, number int, reason string) {
	s.change(fullName, number, func(is *issue) bool {
		return s.setState(is, "closed", reason, is.user)
	})
}

// Reopen reopens a closed issue; its state_reason becomes "reopened".
func (s *Server) Reopen(fullName string, number int) {
	s.change(fullName, number, func(is *issue) bool {
		return s.setState(is, "open", "", "")
	})
}

// SetTitle renames an issue.
func (s *Server) SetTitle(fullName string, number int, title string) {
	s.change(fullName, number, func(is *issue) bool {
		is.title = title
		return true
	})
}

// SetAssignee makes login the only assignee; an empty login unassigns all.
func (s *Server) SetAssignee(fullName string, number int, login string) {
	s.change(fullName, number, func(is *issue) bool {
		is.assignees = nil
		if login != "" {
			is.assignees = []string{login}
		}
		return true
	})
}

// AddComment comments on an issue as login; like any comment on GitHub it
// moves the issue's updated_at.
func (s *Server) AddComment(fullName string, number int, login, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, is := s.mustIssue(fullName, number)
	s.addComment(is, body, login)
}

// Delete deletes an issue: the list no longer shows it and fetching it
// answers 410 Gone.
func (s *Server) Delete(fullName string, number int) {
	s.change(fullName, number, func(is *issue) bool {
		is.deleted = true
		return true
	})
}

// Transfer moves an issue to another repository (created if needed) and
// returns its number there. The old address answers 301 to the new one.
func (s *Server) Transfer(fullName string, number int, toRepo string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, is := s.mustIssue(fullName, number)
	return s.transfer(is, toRepo).number
}

func (s *Server) change(fullName string, number int, apply func(*issue) bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, is := s.mustIssue(fullName, number)
	if apply(is) {
		s.touch(is)
	}
}

func (s *Server) mustIssue(fullName string, number int) (*repo, *issue) {
	r, ok := s.repos[repoKey(fullName)]
	if !ok {
		panic(fmt.Sprintf("ghfake: no repository %s", fullName))
	}
	is, ok := r.issues[number]
	if !ok || is.gone() {
		panic(fmt.Sprintf("ghfake: no issue %s#%d", fullName, number))
	}
	return r, is
}

// IssueState is what the fake holds for one issue, for assertions.
type IssueState struct {
	Number      int
	Title       string
	Body        string
	State       string
	StateReason string
	Labels      []string
	Assignees   []string
	// Comments holds the comment bodies, oldest first.
	Comments  []string
	UpdatedAt time.Time
	ClosedAt  time.Time
	Deleted   bool
	// MovedTo is "owner/name#number" once the issue was transferred.
	MovedTo string
}

// Issue returns the state of an issue, deleted and transferred ones included.
func (s *Server) Issue(fullName string, number int) (IssueState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.repos[repoKey(fullName)]
	if !ok || r.issues[number] == nil {
		return IssueState{}, false
	}
	is := r.issues[number]
	out := IssueState{
		Number: is.number, Title: is.title, Body: is.body, State: is.state,
		StateReason: is.stateReason, Labels: slices.Clone(is.labels),
		Assignees: slices.Clone(is.assignees), UpdatedAt: is.updatedAt,
		ClosedAt: is.closedAt, Deleted: is.deleted,
	}
	for _, c := range is.comments {
		out.Comments = append(out.Comments, c.body)
	}
	if is.movedTo != nil {
		out.MovedTo = fmt.Sprintf("%s#%d", is.movedTo.repo, is.movedTo.number)
	}
	return out, true
}
