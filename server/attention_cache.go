package server

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/amendsdev/amends/models"
)

// attentionCache keeps the staff start page's data, which is the same for
// every staff user; customers never get here. The lists are kept while
// the database is unchanged, and concurrent requests share one reading
// (singleflight). The counts are kept by counts.
type attentionCache struct {
	group singleflight.Group
	mu    sync.Mutex
	key   string
	lists *models.Attention

	counts countsCache
}

// attentionAsOf gathers the start page. The counts are fresh, or, where
// counting is slow and a recount is under way, the previous ones, which
// were taken at asOf; asOf is zero when they are fresh. The lists are
// always fresh. Waiting for the counts overlaps reading the lists.
func (s *Server) attentionAsOf(ctx context.Context, u *models.User, today models.Date) (a *models.Attention, asOf time.Time, err error) {
	waited := time.After(countsWait)
	type result struct {
		run   *countRun
		stale bool
		err   error
	}
	counted := make(chan result, 1)
	go func() {
		var r result
		r.run, r.stale, r.err = s.attentionCache.counts.get(ctx, s.countSource(), today, waited)
		counted <- r
	}()
	lists, err := s.attentionLists(ctx, u, today)
	c := <-counted
	if err != nil {
		return nil, time.Time{}, err
	}
	if c.err != nil {
		return nil, time.Time{}, c.err
	}
	out := *lists
	out.Customers = c.run.counts
	if c.stale {
		asOf = c.run.at
	}
	return &out, asOf, nil
}

// attentionLists reads the lists once per database version and day.
func (s *Server) attentionLists(ctx context.Context, u *models.User, today models.Date) (*models.Attention, error) {
	version, cacheable := s.store.DB().Version(ctx)
	if !cacheable {
		return s.store.AttentionLists(ctx, u, today)
	}
	key := fmt.Sprintf("%d|%s", version, today)
	ac := &s.attentionCache
	ac.mu.Lock()
	if ac.key == key {
		v := ac.lists
		ac.mu.Unlock()
		return v, nil
	}
	ac.mu.Unlock()
	v, err, _ := ac.group.Do(key, func() (any, error) {
		// Detached from the first caller's request: if it goes away, the
		// others still want the answer.
		a, err := s.store.AttentionLists(context.WithoutCancel(ctx), u, today)
		if err == nil {
			ac.mu.Lock()
			ac.key, ac.lists = key, a
			ac.mu.Unlock()
		}
		return a, err
	})
	if err != nil {
		return nil, err
	}
	return v.(*models.Attention), nil
}

// countSource gives the counts cache the database's version, or where the
// database has none (PostgreSQL) a number that grows on every call, so that
// only a count begun after a request counts as fresh for it.
func (s *Server) countSource() countSource {
	return countSource{
		version: func(ctx context.Context) int64 {
			if v, ok := s.store.DB().Version(ctx); ok {
				return v
			}
			return s.attentionCache.counts.calls.Add(1)
		},
		now:   s.store.Now,
		count: s.store.AttentionCounts,
	}
}

// How long a viewer waits for fresh counts before it may be shown the
// previous ones, and how old those may be.
const (
	countsWait   = 150 * time.Millisecond
	countsMaxAge = time.Minute
)

// countsCache keeps the per-customer counts. Counting reads every open
// item, and any commit makes the counts out of date, so under a steady
// trickle of writes viewers would wait for a recount again and again. One
// count runs at a time; a viewer waits for a count begun after its
// request, and past countsWait may get the previous counts instead.
type countsCache struct {
	mu      sync.Mutex
	last    *countRun // the latest that succeeded
	running *countRun
	calls   atomic.Int64 // the version where the database has none
}

// countSource is what the counts cache asks: a version that changes after
// every commit, the time (the store's clock, so that tests can fix it), and
// the count itself.
type countSource struct {
	version func(context.Context) int64
	now     func() time.Time
	count   func(context.Context, models.Date) ([]models.CustomerAttention, error)
}

// countRun is one count.
type countRun struct {
	version int64
	today   models.Date
	at      time.Time // when it began: the counts are as of then
	took    time.Duration
	done    chan struct{}
	counts  []models.CustomerAttention
	err     error
}

// covers says whether the run counts for a request at version on day today.
func (r *countRun) covers(version int64, today models.Date) bool {
	return r.today == today && r.version >= version
}

// get returns counts for day today fresh for the database as it is now,
// waiting for them; once waited fires, it returns the previous counts
// instead if useStale allows, with stale true.
func (cc *countsCache) get(ctx context.Context, src countSource, today models.Date, waited <-chan time.Time) (run *countRun, stale bool, err error) {
	version := src.version(ctx)
	for {
		cc.mu.Lock()
		if cc.last != nil && cc.last.covers(version, today) {
			run = cc.last
			cc.mu.Unlock()
			return run, false, nil
		}
		if cc.running == nil {
			cc.running = cc.start(ctx, src, today)
		}
		r := cc.running
		cc.mu.Unlock()
		select {
		case <-r.done:
			if r.err != nil && r.covers(version, today) {
				return nil, false, r.err
			}
		case <-waited:
			waited = nil
			cc.mu.Lock()
			run = cc.last
			cc.mu.Unlock()
			if useStale(run, today, src.now()) {
				return run, true, nil
			}
		case <-ctx.Done():
			return nil, false, ctx.Err()
		}
	}
}

// start begins a count; the caller holds cc.mu. The count is detached
// from the request that began it: others wait for it too.
func (cc *countsCache) start(ctx context.Context, src countSource, today models.Date) *countRun {
	r := &countRun{version: src.version(ctx), today: today, at: src.now(), done: make(chan struct{})}
	go func() {
		r.counts, r.err = src.count(context.WithoutCancel(ctx), today)
		r.took = src.now().Sub(r.at)
		cc.mu.Lock()
		if r.err == nil {
			cc.last = r
		}
		cc.running = nil
		cc.mu.Unlock()
		close(r.done)
	}()
	return r
}

// useStale says whether a viewer who has waited gets the previous counts
// rather than waiting on: only counts of the same day, at most
// countsMaxAge old, and only where counting is slow (the previous count
// took longer than the wait), so that small databases always show fresh
// counts.
func useStale(last *countRun, today models.Date, now time.Time) bool {
	return last != nil && last.today == today && now.Sub(last.at) <= countsMaxAge && last.took > countsWait
}
