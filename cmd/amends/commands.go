package main

import (
	"github.com/amendsdev/amends/models/database"

	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/amendsdev/amends/jobs"
	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/demo"
	"github.com/amendsdev/amends/notify"
	"github.com/amendsdev/amends/reports"
	"github.com/amendsdev/amends/server"
	"github.com/amendsdev/amends/subscribe"
	"github.com/amendsdev/amends/subscribe/egress"
)

// parse parses a command's flags, keeping errors out of os.Exit paths.
func parse(fs *flag.FlagSet, args []string, std stdio) error {
	fs.SetOutput(std.err)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

// openStore opens the database; migrate brings the schema up to date,
// otherwise a schema that is behind is refused.
func openStore(ctx context.Context, cfg *config, migrate bool) (*models.Store, func(), error) {
	db, err := database.Open(database.OpenConfig{SQLitePath: cfg.DB, DatabaseURL: cfg.DatabaseURL})
	if err != nil {
		return nil, nil, err
	}
	if migrate {
		err = database.Migrate(ctx, db)
	} else {
		err = database.CheckSchema(ctx, db)
	}
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return models.NewStore(db), func() { db.Close() }, nil
}

func cmdServe(ctx context.Context, cfg *config, args []string, std stdio) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "address to listen on (AMENDS_ADDR)")
	cfg.dbFlags(fs)
	cfg.HTTP.flags(fs)
	withDemo := fs.Bool("demo", false, "fill an empty database with a demo and print how to sign in")
	if err := parse(fs, args, std); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	log := newLogger(cfg, std.err)
	cfg.warnBaseURL(log)
	store, closeDB, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer closeDB()
	store.SetEgress(egress.New(cfg.webhookAllow))
	if len(cfg.webhookAllow) > 0 {
		log.Warn("outgoing webhooks may reach private ranges", "allowed", cfg.WebhookAllowCIDRs)
	}
	if *withDemo {
		if err := seedDemo(ctx, cfg, store, std); err != nil {
			return err
		}
	}
	sched, err := jobs.New(store.DB(), log)
	if err != nil {
		return err
	}
	gh, err := scheduleGitHub(ctx, cfg, store, sched, log)
	if err != nil {
		return err
	}
	// One outbox for everything that queues mail, so that queueing wakes
	// this replica's sender.
	outbox := notify.NewOutbox(store)
	rem, err := newReminder(cfg, store, outbox, log)
	if err != nil {
		return err
	}
	meter, err := cfg.Prometheus.meter(log)
	if err != nil {
		return err
	}
	drafts := reports.DraftsPass(ctx, reports.Reviews{Store: store, Meter: meter}, outbox, cfg.BaseURL, log)
	if err := sched.Every("review drafts", reports.DraftInterval, drafts); err != nil {
		return err
	}
	oidc, err := cfg.OIDC.client(cfg.BaseURL, store)
	if err != nil {
		return err
	}
	if oidc != nil {
		log.Info("staff sign in through the identity provider", "issuer", oidc.Issuer(), "button", oidc.Name(),
			"staff_passwords", !cfg.OIDC.passwordsOff, "callback", cfg.BaseURL+"/login/oidc/callback")
	}
	scfg := server.Config{Addr: cfg.Addr, BaseURL: cfg.BaseURL, BaseURLGuessed: cfg.baseURLFromAddr, GitHub: githubOrNil(gh),
		Limits: cfg.HTTP.limits, TrustedProxies: cfg.HTTP.proxies, Outbox: outbox,
		OIDC: oidc, StaffPasswordsOff: cfg.OIDC.passwordsOff, SLI: meter}
	if smtp, ok := rem.Transport.(*notify.SMTP); ok {
		scfg.MailTest = smtp
	}
	srv, err := server.New(scfg, store, log)
	if err != nil {
		return err
	}
	if err := scheduleReminders(ctx, rem, sched, log); err != nil {
		return err
	}
	sub := subscribe.NewJob(store, cfg.BaseURL)
	sub.Outbox = outbox
	if err := sched.Every("subscriptions", subscribe.Interval, subscribe.Pass(ctx, sub, log)); err != nil {
		return err
	}
	if err := sched.Register(srv.Registry()); err != nil {
		return err
	}
	waitSender, err := startSender(ctx, rem, srv.Registry(), log)
	if err != nil {
		return err
	}
	defer waitSender()
	sched.Start(ctx)
	defer stopJobs(sched, gh)
	return srv.Run(ctx)
}

func seedDemo(ctx context.Context, cfg *config, store *models.Store, std stdio) error {
	creds, err := demo.Seed(ctx, store)
	intro := "Demo data is in. "
	if errors.Is(err, demo.ErrNotEmpty) {
		// The demo was loaded before (or the data is not the demo): its
		// passwords were never stored, so new ones are made, or none.
		creds, err = demo.Reissue(ctx, store)
		if errors.Is(err, demo.ErrNotDemo) {
			fmt.Fprint(std.err, `amends: the database already has data that is not the demo; --demo leaves it as it is.
  To sign in, add yourself: amends user add --email YOU --name NAME --role admin
  (it prints a generated password; --password-stdin to choose one)
`)
			return nil
		}
		if err != nil {
			return fmt.Errorf("demo sign-in: %w", err)
		}
		intro = "The database already has data; --demo leaves it as it is.\n" +
			"It holds the demo loaded earlier, whose passwords were not kept: the demo users\n" +
			"got new ones now (their earlier sign-ins ended) and the admin a new API token.\n"
	}
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	base := cfg.BaseURL
	fmt.Fprint(std.out, intro)
	fmt.Fprintf(std.out, `Sign in at %s/login
  staff (admin):   %s  password %s
  customer user:   %s  password %s
  API token (admin): %s
  try: curl -H 'Authorization: Bearer %s' '%s/api/v1/action-items?overdue=true'
The public page, for anyone without signing in: %s/status
`, base, creds.AdminEmail, creds.AdminPassword, creds.CustomerEmail, creds.CustomerPassword,
		creds.AdminToken, creds.AdminToken, base, base)
	return nil
}

func cmdMigrate(ctx context.Context, cfg *config, args []string, std stdio) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	cfg.dbFlags(fs)
	if err := parse(fs, args, std); err != nil {
		return err
	}
	_, closeDB, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	closeDB()
	fmt.Fprintf(std.err, "amends: schema is at version %d\n", database.SchemaVersion())
	return nil
}

func cmdUserAdd(ctx context.Context, cfg *config, args []string, std stdio) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	cfg.dbFlags(fs)
	var in models.UserInput
	fs.StringVar(&in.Email, "email", "", "email address (required)")
	fs.StringVar(&in.Name, "name", "", "display name (required)")
	fs.StringVar(&in.Role, "role", "", "admin, sre, viewer or customer (required)")
	fs.StringVar(&in.CustomerSlug, "customer", "", "customer slug, for a customer user")
	fs.BoolVar(&in.CustomerAdmin, "customer-admin", false, "a customer user who manages its organisation")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of stdin")
	if err := parse(fs, args, std); err != nil {
		return err
	}
	generated := !*fromStdin
	if *fromStdin {
		line, err := bufio.NewReader(std.in).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("read password from stdin: %w", err)
		}
		in.Password = strings.TrimRight(line, "\r\n")
	} else {
		in.Password = models.RandomSecret(15)
	}
	store, closeDB, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer closeDB()
	u, err := store.CreateUser(ctx, in)
	if err != nil {
		return fmt.Errorf("add user: %w", err)
	}
	fmt.Fprintf(std.err, "amends: added %s user %s (id %d)\n", u.Role, u.Email, u.ID)
	if generated {
		fmt.Fprintf(std.out, "%s\n", in.Password)
	}
	return nil
}
