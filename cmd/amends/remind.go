package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/amendsdev/amends/jobs"
	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/notify"
)

// newReminder builds the reminder job on outbox; without AMENDS_SMTP_URL
// its mail stays in the outbox, readable by admins at /admin/outbox.
func newReminder(cfg *config, store *models.Store, outbox *notify.Outbox, log *slog.Logger) (*notify.Reminder, error) {
	r := &notify.Reminder{Store: store, Outbox: outbox, BaseURL: cfg.BaseURL, Log: log}
	tr, err := newTransport(cfg)
	if err != nil || tr == nil {
		return r, err
	}
	r.Transport = tr
	return r, nil
}

// scheduleReminders adds reminder passes to serve's scheduler; they only
// compose, the sender sends.
func scheduleReminders(ctx context.Context, r *notify.Reminder, sched *jobs.Scheduler, log *slog.Logger) error {
	if r.Transport == nil {
		log.Info("mail is off: AMENDS_SMTP_URL is not set, mail waits in the outbox at /admin/outbox")
	}
	return sched.Every("reminders", notify.Interval, notify.Pass(ctx, r, log))
}

// cmdRemind runs one reminder pass now and sends what is due;
// --dry-run prints who would get what.
func cmdRemind(ctx context.Context, cfg *config, args []string, std stdio) error {
	fs := flag.NewFlagSet("remind", flag.ContinueOnError)
	cfg.dbFlags(fs)
	dry := fs.Bool("dry-run", false, "print who would get what, store and send nothing")
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
	r, err := newReminder(cfg, store, notify.NewOutbox(store), newLogger(cfg, std.err))
	if err != nil {
		return err
	}
	if *dry {
		return remindDry(ctx, r, std.out)
	}
	res, err := r.RunOnce(ctx)
	if err != nil {
		return err
	}
	d := res.Delivery
	fmt.Fprintf(std.out, "composed %d, new in outbox %d, sent %d, failed %d, waiting %d\n",
		res.Composed, res.Queued, d.Sent, d.Failed, d.Deferred)
	if r.Transport == nil && res.Queued > 0 {
		fmt.Fprintln(std.out, "AMENDS_SMTP_URL is not set: the mail waits in the outbox (/admin/outbox)")
	}
	if d.Err != nil {
		return fmt.Errorf("mail waits in the outbox: %s", strings.TrimSpace(d.Err.Error()))
	}
	return nil
}

// remindDry prints each email as its group is composed, so that a large
// pass is never held in memory, then who gets nothing now and why.
func remindDry(ctx context.Context, r *notify.Reminder, out io.Writer) error {
	n, skipped, err := r.DryRun(ctx, func(emails []notify.Email) error {
		for _, e := range emails {
			fmt.Fprintf(out, "%s\t%s\t%s\n", e.To, e.Kind, e.Subject)
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d emails would be composed (dry run: nothing stored or sent)\n", n)
	if len(skipped) > 0 {
		fmt.Fprintf(out, "Nothing now for %d:\n", len(skipped))
	}
	for _, s := range skipped {
		kind := s.Kind
		if kind == "" {
			kind = "assignee"
		}
		fmt.Fprintf(out, "  %s\t%s\t%s\n", s.Email, kind, s.Reason)
	}
	return nil
}
