package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/amendsdev/amends/notify"
)

// newTransport is the SMTP transport of AMENDS_SMTP_URL, or nil when mail
// is off.
func newTransport(cfg *config) (*notify.SMTP, error) {
	if cfg.SMTPURL == "" {
		return nil, nil
	}
	return notify.NewSMTP(notify.SMTPConfig{URL: cfg.SMTPURL, From: cfg.MailFrom})
}

// startSender registers the mail metrics and runs the sender of r's
// outbox until ctx ends; the returned func waits for it to stop.
func startSender(ctx context.Context, r *notify.Reminder, reg prometheus.Registerer, log *slog.Logger) (func(), error) {
	m, err := notify.NewMetrics(reg, r.Outbox)
	if err != nil {
		return nil, fmt.Errorf("mail metrics: %w", err)
	}
	r.Metrics = m
	s := &notify.Sender{Outbox: r.Outbox, Transport: r.Transport, Metrics: m, Log: log}
	done := make(chan struct{})
	go func() { defer close(done); s.Run(ctx) }()
	return func() { <-done }, nil
}

// cmdMailTest sends one message at once, outside the outbox, and prints
// the SMTP server's answer: the quickest check of the mail settings.
func cmdMailTest(ctx context.Context, cfg *config, args []string, std stdio) error {
	fs := flag.NewFlagSet("mail test", flag.ContinueOnError)
	to := fs.String("to", "", "address to send the test message to (required)")
	if err := parse(fs, args, std); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("mail test: --to is required")
	}
	tr, err := newTransport(cfg)
	if err != nil {
		return err
	}
	if tr == nil {
		return errors.New("mail test: AMENDS_SMTP_URL is not set")
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	reply, err := tr.SendTest(ctx, *to)
	if err != nil {
		return fmt.Errorf("mail test: %w", err)
	}
	fmt.Fprintf(std.out, "accepted: %s\n", reply)
	return nil
}
