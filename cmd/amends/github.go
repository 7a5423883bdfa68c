package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"

	"github.com/go-co-op/gocron/v2"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/server"
	"github.com/amendsdev/amends/sync/ghsync"
)

// newSyncer builds the GitHub sync from the settings; it returns
// ghsync.ErrNoToken when no token is configured.
func newSyncer(cfg *config, store *models.Store, log *slog.Logger) (*ghsync.Syncer, error) {
	return ghsync.New(store, ghsync.Options{
		Config:        ghsync.Config{Token: cfg.GitHubToken, APIURL: cfg.GitHubAPIURL},
		WebhookSecret: cfg.GitHubWebhookSecret, BaseURL: cfg.BaseURL, Log: log,
	})
}

// startGitHub starts the scheduled sync of serve. Without a token the
// feature is off: it says so once and returns a nil syncer.
func startGitHub(ctx context.Context, cfg *config, store *models.Store, log *slog.Logger) (server.GitHubSyncer, func(), error) {
	syncer, err := newSyncer(cfg, store, log)
	if errors.Is(err, ghsync.ErrNoToken) {
		log.Info("GitHub sync is off: AMENDS_GITHUB_TOKEN is not set")
		return nil, func() {}, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("GitHub sync: %w", err)
	}
	if cfg.GitHubWebhookSecret == "" {
		log.Warn("AMENDS_GITHUB_WEBHOOK_SECRET is not set: webhooks are refused, GitHub changes arrive by polling only")
	}
	sched, err := gocron.NewScheduler()
	if err != nil {
		return nil, nil, fmt.Errorf("GitHub sync scheduler: %w", err)
	}
	_, err = sched.NewJob(gocron.DurationJob(ghsync.DefaultInterval),
		gocron.NewTask(func() { logPass(log, syncer.RunOnce(ctx)) }),
		gocron.WithSingletonMode(gocron.LimitModeReschedule),
		gocron.WithStartAt(gocron.WithStartImmediately()))
	if err != nil {
		return nil, nil, fmt.Errorf("GitHub sync job: %w", err)
	}
	sched.Start()
	log.Info("GitHub sync is on", "every", ghsync.DefaultInterval.String())
	return syncer, func() {
		if err := sched.Shutdown(); err != nil {
			log.Warn("stop GitHub sync", "err", err)
		}
		syncer.Wait()
	}, nil
}

func logPass(log *slog.Logger, res ghsync.PassResult) {
	if res.Skipped {
		log.Info("GitHub sync pass skipped: another replica is running one")
		return
	}
	args := []any{"repos", res.Repos, "failed", res.Failed, "applied", res.Applied, "pushed", res.Pushed, "swept", res.Swept}
	if res.Err != nil {
		log.Warn("GitHub sync pass failed, items keep their state", append(args, "err", res.Err)...)
		return
	}
	log.Info("GitHub sync pass", args...)
}

// cmdSyncGitHub runs one sync pass and exits.
func cmdSyncGitHub(ctx context.Context, cfg *config, args []string, std stdio) error {
	fs := flag.NewFlagSet("sync github", flag.ContinueOnError)
	cfg.dbFlags(fs)
	if err := parse(fs, args, std); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	store, closeDB, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer closeDB()
	syncer, err := newSyncer(cfg, store, newLogger(cfg, std.err))
	if errors.Is(err, ghsync.ErrNoToken) {
		return errors.New("GitHub sync is off: set AMENDS_GITHUB_TOKEN")
	}
	if err != nil {
		return err
	}
	res := syncer.RunOnce(ctx)
	fmt.Fprintf(std.out, "repos %d, failed %d, issues applied %d, pushed %d, swept %d\n",
		res.Repos, res.Failed, res.Applied, res.Pushed, res.Swept)
	return res.Err
}
