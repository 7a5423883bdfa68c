package ghsync

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/amendsdev/amends/models"
)

// createLookBack covers clock skew between amends and GitHub when looking
// for an issue a previous attempt created.
const createLookBack = 10 * time.Minute

// linkNew creates the item's issue in repo and links it. A create record
// with a random marker is written before the POST, and the marker goes in
// the issue's body; a retry (after a timeout, a crash, or a second click)
// first looks for an issue carrying the marker, so it never makes a
// second issue.
func (s *Syncer) linkNew(ctx context.Context, actor *models.User, it *models.ActionItem, repo string) (*models.ActionItem, error) {
	ref, err := ParseIssueRef(strings.TrimSpace(repo) + "#1")
	if err != nil || strings.Contains(repo, "://") {
		return nil, invalid("repo", "want a repository as owner/name")
	}
	rec, err := s.store.BeginGitHubCreate(ctx, it.ID, ref.FullName())
	if err != nil {
		return nil, err
	}
	if err := s.guard.Check(0); err != nil {
		return nil, unavailable(err)
	}
	is, err := s.findCreated(ctx, ref, rec)
	if err == nil && is == nil {
		labels := issueLabels(it)
		is, _, err = s.client.Issues.Create(ctx, ref.Owner, ref.Repo, &github.IssueRequest{
			Title: github.String(it.Title), Body: github.String(s.issueBody(it, rec.Marker)),
			Labels: &labels,
		})
	}
	if err != nil {
		if isStatus(err, 404) {
			return nil, &models.RuleError{Code: "github_repo_not_found", Message: fmt.Sprintf("GitHub repository %s does not exist or the token cannot write to it", ref.FullName())}
		}
		return nil, unavailable(err)
	}
	ref.Number = is.GetNumber()
	if err := s.store.FinishGitHubCreate(ctx, rec.ID, ref.Number); err != nil {
		return nil, err
	}
	return s.store.LinkItem(ctx, actor, it.ID, snapshotOf(ref, is))
}

// findCreated returns the issue an earlier attempt created, or nil.
func (s *Syncer) findCreated(ctx context.Context, ref IssueRef, rec *models.GitHubCreate) (*github.Issue, error) {
	if rec.IssueNumber > 0 {
		is, _, err := s.client.Issues.Get(ctx, ref.Owner, ref.Repo, rec.IssueNumber)
		return is, err
	}
	opts := &github.IssueListByRepoOptions{
		State: "all", Since: rec.CreatedAt.Add(-createLookBack),
		ListOptions: github.ListOptions{PerPage: pollPageSize},
	}
	marker := markerComment(rec.Marker)
	for {
		page, resp, err := s.client.Issues.ListByRepo(ctx, ref.Owner, ref.Repo, opts)
		if err != nil {
			return nil, err
		}
		for _, is := range page {
			if !is.IsPullRequest() && strings.Contains(is.GetBody(), marker) {
				return is, nil
			}
		}
		if resp.NextPage == 0 {
			return nil, nil
		}
		opts.Page = resp.NextPage
	}
}
