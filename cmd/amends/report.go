package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/reports"
	"github.com/amendsdev/amends/reports/openslo"
)

// operator is who commands act as: someone with the database in hand, who
// sees what staff see.
var operator = &models.User{Role: models.RoleAdmin, Email: "cli", Name: "operator"}

func cmdReport(ctx context.Context, cfg *config, args []string, std stdio) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	cfg.dbFlags(fs)
	slug := fs.String("customer", "", "the customer's slug (required)")
	month := fs.String("month", "", "the month, YYYY-MM (required)")
	format := fs.String("format", "md", "md, html, pdf, csv or json")
	outPath := fs.String("o", "", "write to this file instead of standard output")
	audience := fs.String("audience", "customer", "customer (what the customer reads), or internal (our assignees too, marked internal on every page)")
	if err := parse(fs, args, std); err != nil {
		return err
	}
	if *slug == "" || *month == "" {
		return errors.New("report: --customer and --month are required")
	}
	m, err := reports.ParseMonth(*month)
	if err == nil {
		err = reports.CheckFormat(*format)
	}
	aud, audErr := reports.ParseAudience(*audience)
	if err == nil {
		err = audErr
	}
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	store, closeDB, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer closeDB()
	c, err := store.CustomerBySlug(ctx, *slug)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	meter, err := cfg.Prometheus.meter(newLogger(cfg, std.err))
	if err != nil {
		return err
	}
	r, err := reports.Reviews{Store: store, Meter: meter}.BuildFor(ctx, operator, c.ID, m, aud)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return writeOut(*outPath, std.out, func(w io.Writer) error { return reports.Render(w, r, *format) })
}

// writeOut writes to the file, or to out when path is empty; a failed
// render leaves no half-written file behind.
func writeOut(path string, out io.Writer, write func(io.Writer) error) error {
	if path == "" {
		return write(out)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err := write(f); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func cmdImportOpenSLO(ctx context.Context, cfg *config, args []string, std stdio) error {
	fs := flag.NewFlagSet("import openslo", flag.ContinueOnError)
	cfg.dbFlags(fs)
	slug := fs.String("customer", "", "the customer's slug (required)")
	// The file comes first (amends import openslo FILE --customer SLUG);
	// flag stops at the first non-flag, so it is taken off before parsing.
	if len(args) == 0 || len(args[0]) == 0 || args[0][0] == '-' {
		return errors.New("import openslo: usage: amends import openslo FILE --customer SLUG")
	}
	path := args[0]
	if err := parse(fs, args[1:], std); err != nil {
		return err
	}
	if *slug == "" {
		return errors.New("import openslo: --customer is required")
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("import openslo: %w", err)
	}
	defer f.Close()
	store, closeDB, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer closeDB()
	c, err := store.CustomerBySlug(ctx, *slug)
	if err != nil {
		return fmt.Errorf("import openslo: %w", err)
	}
	res, err := openslo.Import(ctx, store, nil, c.ID, f)
	if err != nil {
		return fmt.Errorf("import openslo %s: %w", path, err)
	}
	printImport(std.out, res)
	if !res.Complete() {
		// 2, not 1: the file was read and the rest imported, but an SLO
		// in it was refused; scripts can tell that from a failure.
		return exitError{2, fmt.Errorf("import openslo: %d SLO(s) refused, named above", len(res.Skipped))}
	}
	return nil
}

func printImport(w io.Writer, res *openslo.Result) {
	for _, n := range res.Created {
		fmt.Fprintf(w, "created  %s\n", n)
	}
	for _, n := range res.Updated {
		fmt.Fprintf(w, "updated  %s\n", n)
	}
	for _, s := range res.Skipped {
		fmt.Fprintf(w, "refused  %s (document %d, %s): %s\n", s.Name, s.Document, s.Kind, s.Reason)
	}
	for _, s := range res.Other {
		fmt.Fprintf(w, "passed   %s (document %d, %s): not an SLO\n", s.Name, s.Document, s.Kind)
	}
}

// exitError is an error that asks for a particular exit status.
type exitError struct {
	code int
	err  error
}

func (e exitError) Error() string { return e.err.Error() }
func (e exitError) Unwrap() error { return e.err }
