package ghsync

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/go-github/v60/github"

	"github.com/amendsdev/amends/models"
)

// sweep fetches, one by one, linked issues not seen for SweepAge. A poll
// never shows a deleted or transferred issue, it just stops listing it;
// a GET says 410 or redirects. Unchanged issues answer 304 from the ETag
// cache, which costs no rate limit.
func (s *Syncer) sweep(ctx context.Context) (int, error) {
	if s.opts.SweepBatch < 0 {
		return 0, nil
	}
	items, err := s.store.StaleLinks(ctx, s.opts.Now().Add(-s.opts.SweepAge), s.opts.SweepBatch)
	if err != nil {
		return 0, err
	}
	var seen []uint
	for _, it := range items {
		if err := s.poller.check(); err != nil {
			return len(seen), err
		}
		ok, err := s.sweepOne(ctx, &it)
		if err != nil {
			return len(seen), err
		}
		if ok {
			seen = append(seen, it.ID)
		}
	}
	return len(seen), s.store.TouchGitHubSync(ctx, seen)
}

// sweepOne fetches one issue; ok means it is there and was applied.
func (s *Syncer) sweepOne(ctx context.Context, it *models.ActionItem) (bool, error) {
	ref := itemRef(it)
	is, _, err := s.client.Issues.Get(ctx, ref.Owner, ref.Repo, ref.Number)
	switch {
	case IssueGone(err):
		return false, s.flagGone(ctx, ref, models.GitHubDeleted, nil)
	case isStatus(err, http.StatusNotFound):
		// Deleted with its repository, or no longer visible to the token.
		return false, s.flagGone(ctx, ref, models.GitHubDeleted, nil)
	case err != nil:
		if limited, ok := AsRateLimited(err, s.opts.Now()); ok {
			return false, limited
		}
		return false, fmt.Errorf("ghsync: sweep %s: %w", ref, err)
	}
	if at, rerr := RefOf(is); rerr == nil && !sameRef(at, ref) {
		return false, s.flagGone(ctx, ref, models.GitHubTransferred, &at)
	}
	push, err := s.applyIssue(ctx, snapshotOf(ref, is))
	for _, id := range push {
		if err == nil {
			err = s.Push(ctx, id)
		}
	}
	return err == nil, err
}

func sameRef(a, b IssueRef) bool {
	return strings.EqualFold(a.FullName(), b.FullName()) && a.Number == b.Number
}

func isStatus(err error, status int) bool {
	var e *github.ErrorResponse
	return errors.As(err, &e) && e.Response != nil && e.Response.StatusCode == status
}
