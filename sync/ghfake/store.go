package ghfake

import (
	"fmt"
	"slices"
	"time"
)

// The methods in this file change state; their callers hold s.mu.

// NewIssue describes an issue or pull request to create.
type NewIssue struct {
	Title     string
	Body      string
	Labels    []string
	Assignees []string
	// User is the author; the fake's own login when empty.
	User string
}

func (s *Server) ensureRepo(fullName string) *repo {
	key := repoKey(fullName)
	if r, ok := s.repos[key]; ok {
		return r
	}
	owner, name, ok := splitFullName(fullName)
	if !ok {
		panic(fmt.Sprintf("ghfake: %q is not owner/name", fullName))
	}
	r := &repo{owner: owner, name: name, issues: map[int]*issue{}, labelIDs: map[string]int64{}}
	s.repos[key] = r
	return r
}

func (s *Server) addIssue(r *repo, in NewIssue, pull bool) *issue {
	now := s.clock.stamp()
	r.nextNumber++
	s.nextID++
	user := in.User
	if user == "" {
		user = s.login
	}
	is := &issue{
		id: s.nextID, number: r.nextNumber, title: in.Title, body: in.Body, user: user,
		labels: slices.Clone(in.Labels), assignees: slices.Clone(in.Assignees),
		state: "open", pull: pull, createdAt: now, updatedAt: now,
	}
	r.issues[is.number] = is
	return is
}

// setState applies an open/closed change the way GitHub does: closing
// defaults the reason to completed, reopening records "reopened". It reports
// whether anything changed, so a repeated close is not an update.
func (s *Server) setState(is *issue, state, reason, by string) bool {
	switch {
	case state == "closed" && is.state == "open":
		if reason == "" {
			reason = "completed"
		}
		is.state, is.stateReason = "closed", reason
		is.closedAt, is.closedBy = s.clock.stamp(), by
	case state == "closed" && reason != "" && reason != is.stateReason:
		is.stateReason = reason
	case state == "open" && is.state == "closed":
		is.state, is.stateReason = "open", "reopened"
		is.closedAt, is.closedBy = time.Time{}, ""
	default:
		return false
	}
	return true
}

func (s *Server) touch(is *issue) { is.updatedAt = s.clock.stamp() }

func (s *Server) addComment(is *issue, body, user string) *comment {
	now := s.clock.stamp()
	s.nextID++
	c := &comment{id: s.nextID, body: body, user: user, createdAt: now, updatedAt: now}
	is.comments = append(is.comments, c)
	is.updatedAt = now
	return c
}

// transfer moves an issue the way GitHub does: the target repository gets a
// new issue with a new id and number, and the old address answers with a
// redirect to it.
func (s *Server) transfer(is *issue, toRepo string) *issue {
	to := s.ensureRepo(toRepo)
	moved := s.addIssue(to, NewIssue{Title: is.title, Body: is.body, Labels: is.labels, Assignees: is.assignees, User: is.user}, false)
	moved.comments = is.comments
	moved.createdAt = is.createdAt
	is.movedTo = &location{repo: to.fullName(), number: moved.number}
	is.updatedAt = moved.updatedAt
	return moved
}
