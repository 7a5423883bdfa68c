package ghsync

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/google/go-github/v60/github"
)

// IssueRef names one GitHub issue. GitHub compares owner and repository
// names without regard to case; so should whoever compares refs.
type IssueRef struct {
	Owner  string
	Repo   string
	Number int
}

// FullName is "owner/repo".
func (r IssueRef) FullName() string { return r.Owner + "/" + r.Repo }

// String is "owner/repo#number", the form ParseIssueRef accepts back.
func (r IssueRef) String() string { return fmt.Sprintf("%s/%s#%d", r.Owner, r.Repo, r.Number) }

var (
	ownerRE = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$`)
	repoRE  = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)
)

const refForms = "want an issue URL such as https://github.com/owner/repo/issues/123, or owner/repo#123"

// ParseIssueRef reads an issue's web URL on any host (github.com or a GitHub
// Enterprise host; query and fragment ignored), its REST API URL, or the
// short form owner/repo#123.
func ParseIssueRef(s string) (IssueRef, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return IssueRef{}, errors.New("ghsync: empty issue reference; " + refForms)
	}
	if strings.Contains(s, "://") {
		return parseIssueURL(s)
	}
	name, number, ok := strings.Cut(s, "#")
	owner, repo, okName := strings.Cut(name, "/")
	if !ok || !okName {
		return IssueRef{}, fmt.Errorf("ghsync: %q is not an issue reference; %s", s, refForms)
	}
	return newRef(owner, repo, number, s)
}

func parseIssueURL(s string) (IssueRef, error) {
	u, err := url.Parse(s)
	if err != nil {
		return IssueRef{}, fmt.Errorf("ghsync: issue URL %q: %w", s, err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return IssueRef{}, fmt.Errorf("ghsync: %q is not an http(s) URL; %s", s, refForms)
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	// REST API form: [api/v3/]repos/owner/repo/issues/N.
	if i := len(parts) - 5; i >= 0 && parts[i] == "repos" {
		parts = parts[i+1:]
	}
	if len(parts) >= 4 && (parts[2] == "pull" || parts[2] == "pulls") {
		return IssueRef{}, fmt.Errorf("ghsync: %q is a pull request, not an issue", s)
	}
	if len(parts) != 4 || parts[2] != "issues" {
		return IssueRef{}, fmt.Errorf("ghsync: %q is not an issue URL; %s", s, refForms)
	}
	return newRef(parts[0], parts[1], parts[3], s)
}

func newRef(owner, repo, number, input string) (IssueRef, error) {
	if !ownerRE.MatchString(owner) {
		return IssueRef{}, fmt.Errorf("ghsync: %q: %q is not a valid GitHub owner name", input, owner)
	}
	if !repoRE.MatchString(repo) || repo == "." || repo == ".." {
		return IssueRef{}, fmt.Errorf("ghsync: %q: %q is not a valid repository name", input, repo)
	}
	n, err := strconv.Atoi(number)
	if err != nil || n < 1 || number[0] < '1' || number[0] > '9' {
		return IssueRef{}, fmt.Errorf("ghsync: %q: issue number %q must be a positive whole number", input, number)
	}
	return IssueRef{Owner: owner, Repo: repo, Number: n}, nil
}

// RefOf names the issue go-github returned, from its API URL. After a GET
// followed a transfer's redirect, it differs from the ref that was asked for.
func RefOf(is *github.Issue) (IssueRef, error) {
	return ParseIssueRef(is.GetURL())
}
