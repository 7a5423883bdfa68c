package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/benchdata"
)

// cmdSeedBench fills an empty database with generated data at scale, and
// prints sign-ins for load benchmarks: an admin token and a customer token.
func cmdSeedBench(ctx context.Context, cfg *config, args []string, std stdio) error {
	fs := flag.NewFlagSet("seed-bench", flag.ContinueOnError)
	cfg.dbFlags(fs)
	customers := fs.Int("customers", 2000, "customers to generate")
	items := fs.Int("action-items", 1_000_000, "action items to generate, spread over the customers")
	if err := parse(fs, args, std); err != nil {
		return err
	}
	store, closeDB, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer closeDB()
	empty, err := store.IsEmpty(ctx)
	if err != nil {
		return err
	}
	if !empty {
		return errors.New("seed-bench: the database already has data; point --db at a new file")
	}
	start := time.Now()
	err = benchdata.Fill(ctx, store.DB(), benchdata.Options{Customers: *customers, Items: *items,
		Progress: progressBar(std.err, start)})
	fmt.Fprintln(std.err)
	if err != nil {
		return err
	}
	fmt.Fprintf(std.err, "amends: %d customers and %d action items in %s\n", *customers, *items, time.Since(start).Round(time.Second))
	return printBenchSignIns(ctx, store, std.out)
}

// progressBar draws one line that it rewrites as the fill goes on.
func progressBar(w io.Writer, start time.Time) func(done, total int) {
	return func(done, total int) {
		const width = 30
		filled := width * done / max(total, 1)
		bar := make([]byte, width)
		for i := range bar {
			bar[i] = '.'
			if i < filled {
				bar[i] = '#'
			}
		}
		fmt.Fprintf(w, "\r[%s] %d/%d items (%d%%) %s", bar, done, total, 100*done/max(total, 1), time.Since(start).Round(time.Second))
	}
}

// printBenchSignIns adds a bench admin and a user of the first customer,
// and prints a token for each, one per line, for scripts.
func printBenchSignIns(ctx context.Context, store *models.Store, out io.Writer) error {
	first, err := store.CustomerBySlug(ctx, "customer-0000")
	if err != nil {
		return err
	}
	for _, in := range []models.UserInput{
		{Email: "bench-admin@provider.example", Name: "Bench Admin", Role: models.RoleAdmin},
		{Email: "bench-customer@customer-0000.example", Name: "Bench Customer", Role: models.RoleCustomer, CustomerSlug: first.Slug},
	} {
		in.Password = "bench password " + models.RandomSecret(8)
		u, err := store.CreateUser(ctx, in)
		if err != nil {
			return err
		}
		token, err := store.CreateToken(ctx, u.ID, "bench")
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%s %s\n", u.Role, token)
	}
	return nil
}
