package ghsync

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// PassResult says what one sync pass did.
type PassResult struct {
	Repos   int
	Failed  int
	Applied int // issues seen changed and applied
	Pushed  int
	Swept   int
	// Err is the first failure; the other repositories were still tried,
	// except after a rate limit, which ends the pass.
	Err error
}

// RunOnce makes one pass: polls every linked repository for issues changed
// since its cursor and applies them, retries pushes that did not reach
// GitHub, and sweeps long-unseen issues for deletions and transfers. A
// repository whose poll fails keeps its cursor and everything it holds, and
// records the error next to its last successful sync.
// Passes of one process take turns; across replicas, serve runs them on
// the scheduler's leader (package jobs). A pass that overlaps another (a
// one-shot `amends sync github`, a leader taking over) is harmless: an
// issue's state is applied only if it is newer than the item's record of
// it, and pushes take the item's lock (Push).
func (s *Syncer) RunOnce(ctx context.Context) PassResult {
	s.passMu.Lock()
	defer s.passMu.Unlock()
	var res PassResult
	repos, err := s.store.LinkedRepos(ctx)
	if err != nil {
		res.Err = err
		return res
	}
	for _, repo := range repos {
		res.Repos++
		n, err := s.pollRepo(ctx, repo)
		res.Applied += n
		if err != nil {
			res.Failed++
			res.Err = cmpErr(res.Err, err)
			if isLimit(err) {
				return res
			}
		}
	}
	if res.Pushed, err = s.pushPending(ctx); err != nil {
		res.Err = cmpErr(res.Err, err)
		return res
	}
	if res.Swept, err = s.sweep(ctx); err != nil {
		res.Err = cmpErr(res.Err, err)
	}
	if err := s.store.PruneDeliveries(ctx, s.opts.Now().Add(-keepDeliveries)); err != nil {
		res.Err = cmpErr(res.Err, err)
	}
	return res
}

// keepDeliveries is how long delivery ids are kept for deduplication; GitHub
// redelivers only deliveries of the past few days.
const keepDeliveries = 30 * 24 * time.Hour

func (s *Syncer) pollRepo(ctx context.Context, repo string) (int, error) {
	st, err := s.store.GitHubRepoState(ctx, repo)
	if err != nil {
		return 0, err
	}
	var since time.Time
	if st.Since != nil {
		since = *st.Since
	}
	owner, name, _ := strings.Cut(repo, "/")
	changes, err := s.poller.Poll(ctx, owner, name, since)
	if err == nil {
		var n int
		n, err = s.applyChanges(ctx, repo, changes)
		if err == nil {
			return n, s.store.RecordGitHubPass(ctx, repo, changes.NextSince, nil)
		}
	}
	if rerr := s.store.RecordGitHubPass(ctx, repo, time.Time{}, err); rerr != nil {
		s.log.Error("record failed sync pass", "repo", repo, "err", rerr)
	}
	return 0, fmt.Errorf("ghsync: poll %s: %w", repo, err)
}

// applyChanges applies a poll's issues. Nothing changed when the answer
// came from the cache; an issue already applied is skipped by applyIssue.
func (s *Syncer) applyChanges(ctx context.Context, repo string, ch Changes) (int, error) {
	if ch.NotModified {
		return 0, nil
	}
	owner, name, _ := strings.Cut(repo, "/")
	var applied int
	for _, is := range ch.Issues {
		ref := IssueRef{Owner: owner, Repo: name, Number: is.GetNumber()}
		push, err := s.applyIssue(ctx, snapshotOf(ref, is))
		if err != nil {
			return applied, err
		}
		applied++
		for _, id := range push {
			if err := s.Push(ctx, id); err != nil {
				return applied, err
			}
		}
	}
	return applied, nil
}

func isLimit(err error) bool {
	var limited *ErrRateLimited
	return errors.As(err, &limited)
}

func cmpErr(first, next error) error {
	if first != nil {
		return first
	}
	return next
}
