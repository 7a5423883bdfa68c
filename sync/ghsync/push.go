package ghsync

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/go-github/v60/github"

	"github.com/amendsdev/amends/models"
)

// Push makes an item's issue agree with its status: done closes it as
// completed, wont_fix as not planned, and reopening the item reopens it.
// It writes only when they disagree, so pushing twice is harmless; the
// state GitHub answers with is recorded at once, which makes the webhook
// of amends' own close a no-op when it comes back.
//
// One change may be pushed from several places at once (the request that
// made it, a pass retrying pushes, another replica): under the item's
// lock, each reads the item after the one before it recorded GitHub's
// answer, and finds nothing left to do rather than commenting again.
func (s *Syncer) Push(ctx context.Context, itemID uint) error {
	return s.store.WithLock(ctx, models.LockGitHubPush, itemID, func() error { return s.push(ctx, itemID) })
}

func (s *Syncer) push(ctx context.Context, itemID uint) error {
	it, err := s.store.SyncItem(ctx, itemID)
	if err != nil {
		return err
	}
	if !it.IsLinked() || it.GitHubGone != "" || it.GitHubState == "" ||
		InSync(it.Status, it.GitHubState, it.GitHubStateReason) {
		return nil
	}
	want, err := IssueStateFor(it.Status)
	if err != nil {
		return err
	}
	if err := s.guard.Check(0); err != nil {
		return err
	}
	ref := itemRef(it)
	is, _, err := s.client.Issues.Edit(ctx, ref.Owner, ref.Repo, ref.Number, &github.IssueRequest{
		State: github.String(want.State), StateReason: github.String(want.StateReason),
	})
	if err != nil {
		return s.pushFailed(ctx, ref, err)
	}
	if _, err := s.recordPushed(ctx, itemID, ref, is); err != nil {
		return err
	}
	// The comment comes after the close, so that a retry after a failed
	// close never comments twice; a lost comment is only logged.
	if _, _, err := s.client.Issues.CreateComment(ctx, ref.Owner, ref.Repo, ref.Number,
		&github.IssueComment{Body: github.String(s.pushComment(it, want))}); err != nil {
		s.log.Warn("github comment failed", "issue", ref.String(), "err", err)
	}
	return nil
}

func (s *Syncer) pushFailed(ctx context.Context, ref IssueRef, err error) error {
	if IssueGone(err) {
		return s.flagGone(ctx, ref, models.GitHubDeleted, nil)
	}
	if to, ok := IssueMoved(err); ok {
		return s.flagGone(ctx, ref, models.GitHubTransferred, &to)
	}
	if limited, ok := AsRateLimited(err, s.opts.Now()); ok {
		return limited
	}
	return fmt.Errorf("ghsync: update %s: %w", ref, err)
}

func (s *Syncer) recordPushed(ctx context.Context, itemID uint, ref IssueRef, is *github.Issue) (*models.ActionItem, error) {
	snap := snapshotOf(ref, is)
	now := s.opts.Now().UTC()
	it, err := s.store.ApplyGitHub(ctx, itemID, func(it *models.ActionItem) (string, error) {
		if it.GitHubUpdatedAt != nil && snap.UpdatedAt.Before(*it.GitHubUpdatedAt) {
			return "", models.ErrNoChange
		}
		it.SetGitHubIssue(snap)
		it.GitHubSyncedAt = &now
		return "status pushed to GitHub", nil
	})
	if errors.Is(err, models.ErrNoChange) {
		return it, nil
	}
	return it, err
}

func (s *Syncer) pushComment(it *models.ActionItem, want IssueState) string {
	verb := "Reopened"
	if want.State == StateClosed {
		verb = "Closed as " + map[string]string{ReasonCompleted: "completed", ReasonNotPlanned: "not planned"}[want.StateReason]
	}
	return fmt.Sprintf("%s by amends: action item %d (%s) was set to `%s` there.\n\n%s",
		verb, it.ID, it.Title, it.Status, s.itemURL(it))
}

// pushPending retries pushes that did not reach GitHub.
func (s *Syncer) pushPending(ctx context.Context) (int, error) {
	items, err := s.store.PendingPushes(ctx, pushBatch)
	if err != nil {
		return 0, err
	}
	var pushed int
	for _, it := range items {
		if err := s.Push(ctx, it.ID); err != nil {
			return pushed, fmt.Errorf("push item %d: %w", it.ID, err)
		}
		pushed++
	}
	return pushed, nil
}

// itemRef names the issue an item is linked to.
func itemRef(it *models.ActionItem) IssueRef {
	owner, name, _ := strings.Cut(it.GitHubRepo, "/")
	return IssueRef{Owner: owner, Repo: name, Number: it.GitHubNumber}
}
