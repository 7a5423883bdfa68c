package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"

	"github.com/amendsdev/amends/jobs"
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

// scheduleGitHub adds the GitHub sync to serve's scheduler. Without a token
// the feature is off: it says so once and returns a nil syncer.
func scheduleGitHub(ctx context.Context, cfg *config, store *models.Store, sched *jobs.Scheduler, log *slog.Logger) (*ghsync.Syncer, error) {
	syncer, err := newSyncer(cfg, store, log)
	if errors.Is(err, ghsync.ErrNoToken) {
		log.Info("GitHub sync is off: AMENDS_GITHUB_TOKEN is not set")
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("GitHub sync: %w", err)
	}
	if cfg.GitHubWebhookSecret == "" {
		log.Warn("AMENDS_GITHUB_WEBHOOK_SECRET is not set: webhooks are refused, GitHub changes arrive by polling only")
	}
	if err := sched.Every("github sync", ghsync.DefaultInterval, func() { logPass(log, syncer.RunOnce(ctx)) }); err != nil {
		return nil, err
	}
	log.Info("GitHub sync is on", "every", ghsync.DefaultInterval.String())
	return syncer, nil
}

// githubOrNil keeps a nil syncer a nil interface, which the server reads as
// "GitHub sync is off".
func githubOrNil(s *ghsync.Syncer) server.GitHubSyncer {
	if s == nil {
		return nil
	}
	return s
}

// stopJobs stops the scheduler, then waits for the sync's background pushes.
func stopJobs(sched *jobs.Scheduler, gh *ghsync.Syncer) {
	sched.Stop()
	if gh != nil {
		gh.Wait()
	}
}

func logPass(log *slog.Logger, res ghsync.PassResult) {
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
