package ghsync

import (
	"context"
	"fmt"
	"time"

	"github.com/google/go-github/v60/github"
)

const (
	pollPageSize = 100
	// advanceAfter is how many items a poll answer may hold before the
	// next pass moves its since forward.
	advanceAfter = pollPageSize / 2
)

// Poller asks GitHub, per repository, for the issues updated since the last
// pass. Its client should carry an ETagCache: a pass where nothing changed
// is then answered with 304s and costs no rate limit.
type Poller struct {
	Client *github.Client
	// Guard, when set, is asked before each request.
	Guard *RateGuard
	// Reserve is the part of the hourly budget a poll leaves for writes.
	Reserve int
	// Now is the clock for rate-limit waits; time.Now when nil.
	Now func() time.Time
}

// Changes is one repository's answer to a poll.
type Changes struct {
	// Issues are the issues updated at or after since, oldest update first;
	// pull requests, which the same list returns, are left out.
	Issues []*github.Issue
	// NextSince is the since to pass next time.
	NextSince time.Time
	// NotModified is set when every page came from the ETag cache, so
	// nothing changed since the last pass.
	NotModified bool
	// Requests is how many requests the poll sent.
	Requests int
}

// Poll lists the issues of owner/repo updated at or after since (all of them
// for a zero since), following every page. The list is sorted by update,
// oldest first, so an issue updated during the walk moves to the end rather
// than slipping between pages. A rate limit comes back as *ErrRateLimited,
// and nothing of a failed poll should be applied, so that the next pass
// starts again from the same since.
func (p *Poller) Poll(ctx context.Context, owner, repo string, since time.Time) (Changes, error) {
	opts := &github.IssueListByRepoOptions{
		State: "all", Sort: "updated", Direction: "asc", Since: since,
		ListOptions: github.ListOptions{PerPage: pollPageSize},
	}
	out := Changes{NotModified: true}
	var fetched int
	var newest time.Time
	for {
		if err := p.check(); err != nil {
			return Changes{}, err
		}
		page, resp, err := p.Client.Issues.ListByRepo(ctx, owner, repo, opts)
		out.Requests++
		if err != nil {
			if limited, ok := AsRateLimited(err, p.now()); ok {
				return Changes{}, limited
			}
			return Changes{}, fmt.Errorf("ghsync: list issues of %s/%s, page %d: %w", owner, repo, max(opts.Page, 1), err)
		}
		out.NotModified = out.NotModified && resp.Header.Get(CacheHeader) != ""
		for _, is := range page {
			fetched++
			if t := is.GetUpdatedAt().Time; t.After(newest) {
				newest = t
			}
			if !is.IsPullRequest() {
				out.Issues = append(out.Issues, is)
			}
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	out.NextSince = nextSince(since, newest, fetched)
	return out, nil
}

// nextSince keeps the poll's URL, and so its ETag cache entry, the same for
// as long as possible. A since of "now" would make every pass a new URL and
// every request a full one that counts against the rate limit. So since is
// always a time GitHub gave (an issue's updated_at, never our clock, which
// also makes clock skew harmless), and it only moves forward once the answer
// has grown long: until then a change costs one counted request, the one
// that shows it, instead of two (that one, and the first at the new since).
// GitHub's since is inclusive, so issues already seen come back; applying an
// unchanged issue again must be, and is for the engine, a no-op.
func nextSince(since, newest time.Time, fetched int) time.Time {
	if fetched < advanceAfter || !newest.After(since) {
		return since
	}
	return newest
}

func (p *Poller) check() error {
	if p.Guard == nil {
		return nil
	}
	return p.Guard.Check(p.Reserve)
}

func (p *Poller) now() time.Time {
	if p.Now == nil {
		return time.Now()
	}
	return p.Now()
}
