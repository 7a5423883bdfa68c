package ghsync

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/amendsdev/amends/models"
)

// Link links an item to an existing issue (in.IssueURL) or to a new one
// created from the item (in.Create with in.Repo), as the actor.
func (s *Syncer) Link(ctx context.Context, actor *models.User, itemID uint, in models.GitHubLinkInput) (*models.ActionItem, error) {
	it, err := s.store.LinkableItem(ctx, actor, itemID)
	if err != nil {
		return nil, err
	}
	switch {
	case in.Create && in.IssueURL != "":
		return nil, invalid("issue_url", "give either issue_url, or create with repo, not both")
	case in.Create:
		return s.linkNew(ctx, actor, it, in.Repo)
	case in.IssueURL != "":
		return s.linkExisting(ctx, actor, it, in.IssueURL)
	}
	return nil, invalid("issue_url", `is required, or {"create": true, "repo": "owner/name"}`)
}

func (s *Syncer) linkExisting(ctx context.Context, actor *models.User, it *models.ActionItem, raw string) (*models.ActionItem, error) {
	ref, err := ParseIssueRef(raw)
	if err != nil {
		return nil, invalid("issue_url", err.Error())
	}
	if err := s.guard.Check(0); err != nil {
		return nil, unavailable(err)
	}
	is, _, err := s.client.Issues.Get(ctx, ref.Owner, ref.Repo, ref.Number)
	if err != nil {
		return nil, s.linkFailed(ref, err)
	}
	if is.IsPullRequest() {
		return nil, invalid("issue_url", fmt.Sprintf("%s is a pull request, not an issue", ref))
	}
	// A transferred issue was followed to where it lives now.
	if at, err := RefOf(is); err == nil {
		ref = at
	}
	return s.store.LinkItem(ctx, actor, it.ID, snapshotOf(ref, is))
}

func (s *Syncer) linkFailed(ref IssueRef, err error) error {
	switch {
	case IssueGone(err):
		return &models.RuleError{Code: "github_issue_deleted", Message: fmt.Sprintf("GitHub issue %s was deleted", ref)}
	case isStatus(err, 404):
		return &models.RuleError{Code: "github_issue_not_found", Message: fmt.Sprintf("GitHub issue %s does not exist or the token cannot see it", ref)}
	}
	return unavailable(err)
}

// unavailable says GitHub could not be asked; nothing was changed.
func unavailable(err error) error {
	msg := "GitHub could not be reached, nothing was changed: " + err.Error()
	var limited *ErrRateLimited
	if errors.As(err, &limited) {
		msg = "GitHub's rate limit is reached, nothing was changed: " + limited.Error()
	}
	return &models.RuleError{Code: "github_unavailable", Message: msg}
}

func invalid(field, msg string) error {
	return &models.ValidationError{Fields: map[string]string{field: msg}}
}

// issueBody is the body of an issue created from an item. The marker is
// how a retried create recognises the issue the first attempt made.
func (s *Syncer) issueBody(it *models.ActionItem, marker string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Action item %d of postmortem %d in amends.\n\n", it.ID, it.PostmortemID)
	fmt.Fprintf(&b, "- Item: %s\n", s.itemURL(it))
	fmt.Fprintf(&b, "- Postmortem: %s\n", s.postmortemURL(it))
	fmt.Fprintf(&b, "- Priority: %s, type: %s\n", it.Priority, it.Type)
	if d := strings.TrimSpace(it.Description); d != "" {
		fmt.Fprintf(&b, "\n%s\n", d)
	}
	fmt.Fprintf(&b, "\nClosing this issue as completed marks the item done; as not planned, won't fix.\n\n%s\n", markerComment(marker))
	return b.String()
}

func markerComment(marker string) string { return "<!-- amends:create:" + marker + " -->" }

func issueLabels(it *models.ActionItem) []string {
	return []string{"priority:" + it.Priority, "type:" + it.Type}
}
