package ghsync

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/amendsdev/amends/models"
)

// Defaults of the engine's knobs.
const (
	DefaultInterval   = 5 * time.Minute
	defaultReserve    = 200
	defaultSweepBatch = 50
	defaultSweepAge   = 6 * time.Hour
	pushBatch         = 100
	writeTimeout      = time.Minute
	// backgroundPushes bounds the pushes that run at once after changes:
	// GitHub asks integrations not to send it many requests at once, and
	// on PostgreSQL each push holds a connection for its item's lock while
	// it waits for GitHub.
	backgroundPushes = 4
)

// Options configure a Syncer.
type Options struct {
	Config
	// WebhookSecret verifies deliveries; empty refuses every delivery.
	WebhookSecret string
	// BaseURL is where amends is served, for links back from issues.
	BaseURL string
	// SweepBatch is how many long-unseen issues a pass fetches one by one
	// to find deleted and transferred ones; negative turns the sweep off.
	SweepBatch int
	// SweepAge is how long an issue may go unseen before the sweep fetches it.
	SweepAge time.Duration
	Log      *slog.Logger
	// Now is the clock for rate-limit waits; time.Now when nil.
	Now func() time.Time
}

// Syncer keeps linked action items and their GitHub issues in step: links
// and creates issues, pulls by polling and webhooks, pushes status changes.
type Syncer struct {
	store  *models.Store
	client *github.Client
	poller *Poller
	guard  *RateGuard
	cache  *ETagCache
	opts   Options
	log    *slog.Logger

	bg sync.WaitGroup
	// pushing has a slot per background push under way.
	pushing chan struct{}
	// passMu keeps passes of one process from overlapping.
	passMu sync.Mutex
}

// New builds a Syncer; without a token it returns ErrNoToken and the
// feature is off.
func New(store *models.Store, opts Options) (*Syncer, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Cache == nil {
		opts.Cache = NewETagCache(64 << 20)
	}
	if opts.Limits == nil {
		opts.Limits = NewRateGuard(opts.Now)
	}
	client, err := NewClient(opts.Config)
	if err != nil {
		return nil, err
	}
	if opts.SweepBatch == 0 {
		opts.SweepBatch = defaultSweepBatch
	}
	if opts.SweepAge == 0 {
		opts.SweepAge = defaultSweepAge
	}
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Syncer{
		store: store, client: client, guard: opts.Limits, cache: opts.Cache, opts: opts, log: log,
		poller:  &Poller{Client: client, Guard: opts.Limits, Reserve: defaultReserve, Now: opts.Now},
		pushing: make(chan struct{}, backgroundPushes),
	}, nil
}

// Client is the go-github client the syncer uses.
func (s *Syncer) Client() *github.Client { return s.client }

// ItemChanged pushes an item's status to its issue in the background, after
// the change was committed. A push that fails is retried by the next pass.
func (s *Syncer) ItemChanged(itemID uint) {
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		s.pushing <- struct{}{}
		defer func() { <-s.pushing }()
		ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
		defer cancel()
		if err := s.Push(ctx, itemID); err != nil {
			s.log.Warn("github push failed, the next sync pass retries it", "item", itemID, "err", err)
		}
	}()
}

// Wait blocks until background pushes and deliveries are done.
func (s *Syncer) Wait() { s.bg.Wait() }

// SyncStatus reports whether the sync works and how recent it is.
func (s *Syncer) SyncStatus(ctx context.Context) (models.GitHubStatus, error) {
	repos, err := s.store.GitHubRepoStates(ctx)
	if err != nil {
		return models.GitHubStatus{}, err
	}
	st := models.GitHubStatus{Enabled: true, WebhookConfigured: s.opts.WebhookSecret != "", Repos: repos}
	if rem, reset, ok := s.guard.Remaining(); ok {
		st.RateRemaining, st.RateReset = &rem, &reset
	}
	return st, nil
}

// itemURL and postmortemURL are the staff pages, for links from GitHub.
func (s *Syncer) itemURL(it *models.ActionItem) string {
	return fmt.Sprintf("%s/items/%d", s.opts.BaseURL, it.ID)
}

func (s *Syncer) postmortemURL(it *models.ActionItem) string {
	return fmt.Sprintf("%s/postmortems/%d", s.opts.BaseURL, it.PostmortemID)
}
