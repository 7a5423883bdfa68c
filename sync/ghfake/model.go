package ghfake

import (
	"strings"
	"time"
)

// repo is one repository and every issue number it ever handed out,
// including pull requests, deleted issues and transferred-away tombstones.
type repo struct {
	owner, name string
	nextNumber  int
	issues      map[int]*issue
	labelIDs    map[string]int64
}

func (r *repo) fullName() string { return r.owner + "/" + r.name }

type issue struct {
	id          int64
	number      int
	title, body string
	user        string
	labels      []string
	assignees   []string
	state       string // "open" or "closed"
	stateReason string // "" is JSON null
	pull        bool
	comments    []*comment
	createdAt   time.Time
	updatedAt   time.Time
	closedAt    time.Time
	closedBy    string
	deleted     bool
	movedTo     *location // set once the issue was transferred away
}

// gone reports whether the issue no longer lives in its repository.
func (i *issue) gone() bool { return i.deleted || i.movedTo != nil }

type location struct {
	repo   string
	number int
}

type comment struct {
	id        int64
	body      string
	user      string
	createdAt time.Time
	updatedAt time.Time
}

// repoKey folds case because GitHub resolves owner and repository names
// case-insensitively.
func repoKey(fullName string) string { return strings.ToLower(fullName) }

func splitFullName(fullName string) (owner, name string, ok bool) {
	owner, name, ok = strings.Cut(fullName, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return "", "", false
	}
	return owner, name, true
}
