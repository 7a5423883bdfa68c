package jobs

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/prometheus/client_golang/prometheus"
)

// CampaignInterval is how often a replica holds an election outside the
// jobs' own runs: leadership moves within this long after a leader dies.
const CampaignInterval = 20 * time.Second

// Scheduler is serve's one gocron scheduler. On PostgreSQL it runs jobs
// only on the elected leader; on SQLite there is one process and no election.
type Scheduler struct {
	gocron.Scheduler
	Elector *Elector // nil on SQLite
	log     *slog.Logger
	cancel  context.CancelFunc
}

// New builds the scheduler for db; opts are passed to gocron (tests give a
// fake clock).
func New(db *database.DB, log *slog.Logger, opts ...gocron.SchedulerOption) (*Scheduler, error) {
	s := &Scheduler{log: log, cancel: func() {}}
	if db.Postgres {
		sqlDB, err := db.W.DB()
		if err != nil {
			return nil, fmt.Errorf("scheduler: %w", err)
		}
		s.Elector = NewElector(sqlDB, LeaderLockKey, log)
		opts = append(opts, gocron.WithDistributedElector(s.Elector))
	}
	sched, err := gocron.NewScheduler(opts...)
	if err != nil {
		return nil, fmt.Errorf("scheduler: %w", err)
	}
	s.Scheduler = sched
	return s, nil
}

// Every adds a job that runs fn now and every interval, never two runs of it
// at once.
func (s *Scheduler) Every(name string, interval time.Duration, fn func()) error {
	_, err := s.NewJob(gocron.DurationJob(interval), gocron.NewTask(fn), gocron.WithName(name),
		gocron.WithSingletonMode(gocron.LimitModeReschedule), gocron.WithStartAt(gocron.WithStartImmediately()))
	if err != nil {
		return fmt.Errorf("schedule %s: %w", name, err)
	}
	return nil
}

// Start campaigns for leadership (on PostgreSQL) and starts the jobs.
func (s *Scheduler) Start(ctx context.Context) {
	if s.Elector != nil {
		ctx, cancel := context.WithCancel(ctx)
		s.cancel = cancel
		go s.Elector.Campaign(ctx, CampaignInterval)
	}
	s.Scheduler.Start()
}

// Stop waits for running jobs, then gives up leadership so another replica
// takes over at once.
func (s *Scheduler) Stop() {
	s.cancel()
	if err := s.Shutdown(); err != nil {
		s.log.Warn("stop scheduler", "err", err)
	}
	if s.Elector != nil {
		s.Elector.Resign()
	}
}

// Register exposes amends_scheduler_leader: 1 on the replica that runs the
// jobs. Across replicas the sum should be exactly 1; on SQLite it is 1.
func (s *Scheduler) Register(reg prometheus.Registerer) error {
	g := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "amends_scheduler_leader",
		Help: "1 when this process runs the scheduled jobs (the elected leader on PostgreSQL).",
	}, func() float64 {
		if s.Elector == nil || s.Elector.Leading() {
			return 1
		}
		return 0
	})
	if err := reg.Register(g); err != nil {
		return fmt.Errorf("scheduler metrics: %w", err)
	}
	return nil
}
