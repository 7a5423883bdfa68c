package ghfake

import (
	"encoding/base64"
	"fmt"
	"time"
)

// bases are the two roots GitHub's JSON points at: the REST API (with the
// /api/v3 prefix when the request used one) and the web pages.
type bases struct {
	api, web string
}

type userJSON struct {
	Login             string `json:"login"`
	ID                int64  `json:"id"`
	NodeID            string `json:"node_id"`
	AvatarURL         string `json:"avatar_url"`
	GravatarID        string `json:"gravatar_id"`
	URL               string `json:"url"`
	HTMLURL           string `json:"html_url"`
	FollowersURL      string `json:"followers_url"`
	FollowingURL      string `json:"following_url"`
	GistsURL          string `json:"gists_url"`
	StarredURL        string `json:"starred_url"`
	SubscriptionsURL  string `json:"subscriptions_url"`
	OrganizationsURL  string `json:"organizations_url"`
	ReposURL          string `json:"repos_url"`
	EventsURL         string `json:"events_url"`
	ReceivedEventsURL string `json:"received_events_url"`
	Type              string `json:"type"`
	SiteAdmin         bool   `json:"site_admin"`
}

type labelJSON struct {
	ID          int64   `json:"id"`
	NodeID      string  `json:"node_id"`
	URL         string  `json:"url"`
	Name        string  `json:"name"`
	Color       string  `json:"color"`
	Default     bool    `json:"default"`
	Description *string `json:"description"`
}

type reactionsJSON struct {
	URL        string `json:"url"`
	TotalCount int    `json:"total_count"`
	PlusOne    int    `json:"+1"`
	MinusOne   int    `json:"-1"`
	Laugh      int    `json:"laugh"`
	Hooray     int    `json:"hooray"`
	Confused   int    `json:"confused"`
	Heart      int    `json:"heart"`
	Rocket     int    `json:"rocket"`
	Eyes       int    `json:"eyes"`
}

type pullRefJSON struct {
	URL      string     `json:"url"`
	HTMLURL  string     `json:"html_url"`
	DiffURL  string     `json:"diff_url"`
	PatchURL string     `json:"patch_url"`
	MergedAt *time.Time `json:"merged_at"`
}

// issueJSON follows the field order and null-ness of GitHub's issue object
// (see the payloads in testdata): absent values are null, not omitted.
type issueJSON struct {
	URL                   string        `json:"url"`
	RepositoryURL         string        `json:"repository_url"`
	LabelsURL             string        `json:"labels_url"`
	CommentsURL           string        `json:"comments_url"`
	EventsURL             string        `json:"events_url"`
	HTMLURL               string        `json:"html_url"`
	ID                    int64         `json:"id"`
	NodeID                string        `json:"node_id"`
	Number                int           `json:"number"`
	Title                 string        `json:"title"`
	User                  userJSON      `json:"user"`
	Labels                []labelJSON   `json:"labels"`
	State                 string        `json:"state"`
	Locked                bool          `json:"locked"`
	Assignee              *userJSON     `json:"assignee"`
	Assignees             []userJSON    `json:"assignees"`
	Milestone             any           `json:"milestone"`
	Comments              int           `json:"comments"`
	CreatedAt             time.Time     `json:"created_at"`
	UpdatedAt             time.Time     `json:"updated_at"`
	ClosedAt              *time.Time    `json:"closed_at"`
	AuthorAssociation     string        `json:"author_association"`
	ActiveLockReason      *string       `json:"active_lock_reason"`
	Body                  *string       `json:"body"`
	ClosedBy              *userJSON     `json:"closed_by"`
	Reactions             reactionsJSON `json:"reactions"`
	TimelineURL           string        `json:"timeline_url"`
	PerformedViaGitHubApp any           `json:"performed_via_github_app"`
	StateReason           *string       `json:"state_reason"`
	Draft                 *bool         `json:"draft,omitempty"`
	PullRequest           *pullRefJSON  `json:"pull_request,omitempty"`
}

type commentJSON struct {
	URL               string    `json:"url"`
	HTMLURL           string    `json:"html_url"`
	IssueURL          string    `json:"issue_url"`
	ID                int64     `json:"id"`
	NodeID            string    `json:"node_id"`
	User              userJSON  `json:"user"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
	AuthorAssociation string    `json:"author_association"`
	Body              string    `json:"body"`
}

// nodeID builds a legacy global node id, the form the payloads carry
// (base64 of "05:Issue444500041").
func nodeID(kind string, id int64) string {
	return base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "%02d:%s%d", len(kind), kind, id))
}

func (s *Server) renderUser(b bases, login string) userJSON {
	id := s.userID(login)
	api := b.api + "/users/" + login
	return userJSON{
		Login: login, ID: id, NodeID: nodeID("User", id),
		AvatarURL:         fmt.Sprintf("%s/avatars/u/%d?v=4", b.web, id),
		URL:               api,
		HTMLURL:           b.web + "/" + login,
		FollowersURL:      api + "/followers",
		FollowingURL:      api + "/following{/other_user}",
		GistsURL:          api + "/gists{/gist_id}",
		StarredURL:        api + "/starred{/owner}{/repo}",
		SubscriptionsURL:  api + "/subscriptions",
		OrganizationsURL:  api + "/orgs",
		ReposURL:          api + "/repos",
		EventsURL:         api + "/events{/privacy}",
		ReceivedEventsURL: api + "/received_events",
		Type:              "User",
	}
}

func (s *Server) userID(login string) int64 {
	id, ok := s.users[login]
	if !ok {
		s.nextID++
		id = s.nextID
		s.users[login] = id
	}
	return id
}

func (s *Server) renderLabel(b bases, r *repo, name string) labelJSON {
	id, ok := r.labelIDs[name]
	if !ok {
		s.nextID++
		id = s.nextID
		r.labelIDs[name] = id
	}
	return labelJSON{
		ID: id, NodeID: nodeID("Label", id), Name: name, Color: "ededed",
		URL: fmt.Sprintf("%s/repos/%s/labels/%s", b.api, r.fullName(), name),
	}
}

func issueAPIURL(b bases, fullName string, number int) string {
	return fmt.Sprintf("%s/repos/%s/issues/%d", b.api, fullName, number)
}

func (s *Server) renderIssue(b bases, r *repo, is *issue) issueJSON {
	repoURL := b.api + "/repos/" + r.fullName()
	self := issueAPIURL(b, r.fullName(), is.number)
	out := issueJSON{
		URL: self, RepositoryURL: repoURL,
		LabelsURL:   self + "/labels{/name}",
		CommentsURL: self + "/comments",
		EventsURL:   self + "/events",
		HTMLURL:     fmt.Sprintf("%s/%s/issues/%d", b.web, r.fullName(), is.number),
		ID:          is.id, NodeID: nodeID("Issue", is.id), Number: is.number,
		Title: is.title, User: s.renderUser(b, is.user),
		Labels: []labelJSON{}, State: is.state, Assignees: []userJSON{},
		Comments:  len(is.comments),
		CreatedAt: is.createdAt, UpdatedAt: is.updatedAt,
		AuthorAssociation: association(r, is.user),
		Reactions:         reactionsJSON{URL: self + "/reactions"},
		TimelineURL:       self + "/timeline",
	}
	for _, name := range is.labels {
		out.Labels = append(out.Labels, s.renderLabel(b, r, name))
	}
	for _, login := range is.assignees {
		out.Assignees = append(out.Assignees, s.renderUser(b, login))
	}
	if len(out.Assignees) > 0 {
		out.Assignee = &out.Assignees[0]
	}
	s.renderOptional(b, r, is, &out)
	return out
}

// renderOptional fills the fields GitHub sends as null unless they apply.
func (s *Server) renderOptional(b bases, r *repo, is *issue, out *issueJSON) {
	if is.body != "" {
		out.Body = &is.body
	}
	if is.stateReason != "" {
		out.StateReason = &is.stateReason
	}
	if is.state == "closed" {
		closedAt := is.closedAt
		out.ClosedAt = &closedAt
		by := s.renderUser(b, is.closedBy)
		out.ClosedBy = &by
	}
	if is.pull {
		pulls := fmt.Sprintf("%s/repos/%s/pulls/%d", b.api, r.fullName(), is.number)
		web := fmt.Sprintf("%s/%s/pull/%d", b.web, r.fullName(), is.number)
		draft := false
		out.Draft = &draft
		out.PullRequest = &pullRefJSON{URL: pulls, HTMLURL: web, DiffURL: web + ".diff", PatchURL: web + ".patch"}
	}
}

func (s *Server) renderComment(b bases, r *repo, is *issue, c *comment) commentJSON {
	issueURL := issueAPIURL(b, r.fullName(), is.number)
	return commentJSON{
		URL:      fmt.Sprintf("%s/repos/%s/issues/comments/%d", b.api, r.fullName(), c.id),
		HTMLURL:  fmt.Sprintf("%s/%s/issues/%d#issuecomment-%d", b.web, r.fullName(), is.number, c.id),
		IssueURL: issueURL, ID: c.id, NodeID: nodeID("IssueComment", c.id),
		User: s.renderUser(b, c.user), CreatedAt: c.createdAt, UpdatedAt: c.updatedAt,
		AuthorAssociation: association(r, c.user), Body: c.body,
	}
}

func association(r *repo, login string) string {
	if login == r.owner {
		return "OWNER"
	}
	return "NONE"
}
