package ghsync

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/amendsdev/amends/models"
)

// snapshotOf turns a go-github issue into what the store records.
func snapshotOf(ref IssueRef, is *github.Issue) models.GitHubIssue {
	snap := models.GitHubIssue{
		Repo: ref.FullName(), Number: ref.Number, URL: is.GetHTMLURL(), State: is.GetState(),
		StateReason: is.GetStateReason(), Title: is.GetTitle(), UpdatedAt: is.GetUpdatedAt().Time,
	}
	for _, a := range is.Assignees {
		snap.Assignees = append(snap.Assignees, a.GetLogin())
	}
	return snap
}

// snapshotOfEvent is the issue a webhook delivery carries.
func snapshotOfEvent(ev IssueEvent) models.GitHubIssue {
	return models.GitHubIssue{
		Repo: ev.Issue.FullName(), Number: ev.Issue.Number, State: ev.State, StateReason: ev.StateReason,
		Title: ev.Title, Assignees: ev.Assignees, UpdatedAt: ev.UpdatedAt,
	}
}

// applyIssue records an issue on every item linked to it. It reports the
// items whose own status won a conflict and must be pushed.
func (s *Syncer) applyIssue(ctx context.Context, snap models.GitHubIssue) (push []uint, err error) {
	items, err := s.store.ItemsForIssue(ctx, snap.Repo, snap.Number)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		var localWins bool
		_, err := s.store.ApplyGitHub(ctx, it.ID, func(it *models.ActionItem) (string, error) {
			if !newer(it, snap) {
				return "", models.ErrNoChange
			}
			var reason string
			reason, localWins = decide(it, snap, s.opts.Now().UTC())
			return reason, nil
		})
		if err != nil && !errors.Is(err, models.ErrNoChange) {
			return push, fmt.Errorf("apply %s#%d to item %d: %w", snap.Repo, snap.Number, it.ID, err)
		}
		if localWins {
			push = append(push, it.ID)
		}
	}
	return push, nil
}

// newer says whether a snapshot is news to the item: later than the last
// one applied, or of the same second (GitHub's updated_at has one-second
// resolution, so a close and a reopen within a second carry the same
// time) and saying something else about state, reason, title or
// assignees. An earlier snapshot, or the same one again, is not.
func newer(it *models.ActionItem, snap models.GitHubIssue) bool {
	if it.GitHubUpdatedAt == nil {
		return true
	}
	last := it.GitHubUpdatedAt.UTC().Truncate(time.Second)
	at := snap.UpdatedAt.UTC().Truncate(time.Second)
	if !at.Equal(last) {
		return at.After(last)
	}
	return it.GitHubState != snap.State || it.GitHubStateReason != snap.StateReason ||
		it.GitHubTitle != snap.Title || it.GitHubAssignees != strings.Join(snap.Assignees, ",")
}

// decide applies one issue snapshot to an item, the rule of the sync:
//
//   - (Checked by the caller, in the item's transaction.) A snapshot that
//     is not newer than the last one applied changes nothing, which makes
//     redelivered webhooks, a poll racing a webhook, and amends' own close
//     coming back all no-ops. One of the same second that differs is
//     applied (newer).
//   - A status that already agrees with the issue stays (in_progress and
//     blocked agree with an open issue).
//   - Otherwise the issue's state becomes the status, unless the item has a
//     status change of its own not yet pushed (its status disagrees with the
//     last state seen) and either the issue's state did not move (GitHub
//     changed only a title, say) or the local change is the later one: then
//     the local change wins, and is pushed. Both changes stay in history.
//     The local change's time is that of the last status change made in
//     amends (StatusChangedHereAt), never updated_at, which also moves when
//     amends records what GitHub said.
func decide(it *models.ActionItem, snap models.GitHubIssue, now time.Time) (reason string, localWins bool) {
	localPending := it.GitHubState != "" && !InSync(it.Status, it.GitHubState, it.GitHubStateReason)
	stateMoved := !sameMeaning(it.GitHubState, it.GitHubStateReason, snap.State, snap.StateReason)
	url := it.GitHubURL
	it.SetGitHubIssue(snap)
	if snap.URL == "" {
		it.GitHubURL = url
	}
	it.GitHubSyncedAt = &now
	if InSync(it.Status, snap.State, snap.StateReason) {
		return "issue changed on GitHub", false
	}
	want, err := StatusForIssue(snap.State, snap.StateReason)
	if err != nil {
		return "issue has an unknown state on GitHub", false
	}
	what := describe(snap)
	if localPending && !stateMoved {
		// GitHub changed something else (a title, a comment): no conflict.
		return "issue changed on GitHub; the status set here is still to be pushed", true
	}
	here := time.Time{}
	if it.StatusChangedHereAt != nil {
		here = *it.StatusChangedHereAt
	}
	if localPending && here.After(snap.UpdatedAt) {
		return fmt.Sprintf("conflict: %s at %s, but the change here at %s is later and wins",
			what, stamp(snap.UpdatedAt), stamp(here)), true
	}
	it.Status = want
	if localPending {
		return fmt.Sprintf("conflict: %s at %s, later than the change here at %s, and wins",
			what, stamp(snap.UpdatedAt), stamp(here)), false
	}
	return what, false
}

func describe(snap models.GitHubIssue) string {
	ref := fmt.Sprintf("%s#%d", snap.Repo, snap.Number)
	if snap.State == StateClosed {
		return fmt.Sprintf("issue %s closed on GitHub as %s", ref, strings.ReplaceAll(cmp.Or(snap.StateReason, ReasonCompleted), "_", " "))
	}
	return fmt.Sprintf("issue %s reopened on GitHub", ref)
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// flagGone marks the items of a deleted or transferred issue, keeping
// everything else as it was.
func (s *Syncer) flagGone(ctx context.Context, ref IssueRef, gone string, movedTo *IssueRef) error {
	items, err := s.store.ItemsForIssue(ctx, ref.FullName(), ref.Number)
	if err != nil {
		return err
	}
	now := s.opts.Now().UTC()
	for _, it := range items {
		_, err := s.store.ApplyGitHub(ctx, it.ID, func(it *models.ActionItem) (string, error) {
			it.GitHubGone, it.GitHubSyncedAt = gone, &now
			it.GitHubMovedTo = ""
			if movedTo != nil {
				it.GitHubMovedTo = movedTo.String()
			}
			return fmt.Sprintf("issue %s was %s on GitHub", ref, gone), nil
		})
		if err != nil {
			return fmt.Errorf("flag item %d: %w", it.ID, err)
		}
	}
	return nil
}

// sameMeaning reports whether two issue states mean the same item status.
func sameMeaning(state1, reason1, state2, reason2 string) bool {
	a, err1 := StatusForIssue(state1, reason1)
	b, err2 := StatusForIssue(state2, reason2)
	return err1 == nil && err2 == nil && a == b
}
