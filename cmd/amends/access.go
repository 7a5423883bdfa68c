package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/amendsdev/amends/models"
)

// Commands that give and take back access: tokens and disabled users.
// Each writes to users or api_tokens, which a running serve notices at
// its next request (models/access.go).

func cmdTokenCreate(ctx context.Context, cfg *config, args []string, std stdio) error {
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	cfg.dbFlags(fs)
	email := fs.String("email", "", "the user the token acts as (required)")
	name := fs.String("name", "cli", "a label to recognise the token by")
	expires := fs.String("expires", "", "how long the token works, such as 90d or 12h (default: until revoked)")
	if err := parse(fs, args, std); err != nil {
		return err
	}
	if *email == "" {
		return errors.New("token create: --email is required")
	}
	var until *time.Time
	if *expires != "" {
		d, err := parseLifetime(*expires)
		if err != nil {
			return fmt.Errorf("token create: --expires: %w", err)
		}
		t := time.Now().UTC().Add(d)
		until = &t
	}
	store, u, closeDB, err := openForUser(ctx, cfg, *email, "token create")
	if err != nil {
		return err
	}
	defer closeDB()
	token, err := store.CreateTokenUntil(ctx, u.ID, *name, until)
	if err != nil {
		return fmt.Errorf("token create: %w", err)
	}
	if until != nil {
		fmt.Fprintf(std.err, "amends: the token works until %s\n", until.Format(time.RFC3339))
	}
	fmt.Fprintln(std.out, token)
	return nil
}

// parseLifetime reads a token lifetime: a number of days ("90d"), weeks
// ("2w") or a Go duration ("12h").
func parseLifetime(s string) (time.Duration, error) {
	var d time.Duration
	var err error
	switch {
	case strings.HasSuffix(s, "d"), strings.HasSuffix(s, "w"):
		unit := 24 * time.Hour
		if strings.HasSuffix(s, "w") {
			unit *= 7
		}
		var n int
		n, err = strconv.Atoi(s[:len(s)-1])
		d = time.Duration(n) * unit
	default:
		d, err = time.ParseDuration(s)
	}
	if err != nil || d <= 0 || d > 10*365*24*time.Hour {
		return 0, fmt.Errorf("want a lifetime such as 90d, 2w or 12h (at most ten years), got %q", s)
	}
	return d, nil
}

func cmdTokenList(ctx context.Context, cfg *config, args []string, std stdio) error {
	fs := flag.NewFlagSet("token list", flag.ContinueOnError)
	cfg.dbFlags(fs)
	email := fs.String("email", "", "whose tokens (required)")
	if err := parse(fs, args, std); err != nil {
		return err
	}
	if *email == "" {
		return errors.New("token list: --email is required")
	}
	store, u, closeDB, err := openForUser(ctx, cfg, *email, "token list")
	if err != nil {
		return err
	}
	defer closeDB()
	tokens, err := store.Tokens(ctx, nil, u.ID)
	if err != nil {
		return err
	}
	now := store.Now()
	w := tabwriter.NewWriter(std.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tLABEL\tCREATED\tLAST USED\tEXPIRES\tSTATE")
	for _, t := range tokens {
		t.User = *u
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, stamp(&t.CreatedAt, "-"), stamp(t.LastUsedAt, "never"),
			stamp(t.ExpiresAt, "never"), tokenState(&t, now))
	}
	return w.Flush()
}

// tokenState says whether a token works, and if not why.
func tokenState(t *models.APIToken, now time.Time) string {
	switch {
	case t.RevokedAt != nil:
		return "revoked " + stamp(t.RevokedAt, "")
	case t.ExpiresAt != nil && !now.Before(*t.ExpiresAt):
		return "expired"
	case t.User.Disabled():
		return "user disabled"
	}
	return "active"
}

func stamp(t *time.Time, none string) string {
	if t == nil {
		return none
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

func cmdTokenRevoke(ctx context.Context, cfg *config, args []string, std stdio) error {
	fs := flag.NewFlagSet("token revoke", flag.ContinueOnError)
	cfg.dbFlags(fs)
	// The id comes first (amends token revoke 12 --db …) or last.
	var idText string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		idText, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if idText == "" && fs.NArg() == 1 {
		idText = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return fmt.Errorf("token revoke: unexpected argument %q", fs.Arg(0))
	}
	id, err := strconv.ParseUint(idText, 10, 32)
	if err != nil || id == 0 {
		return fmt.Errorf("token revoke: want the token's ID (see amends token list), got %q", idText)
	}
	store, closeDB, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer closeDB()
	t, err := store.RevokeToken(ctx, nil, uint(id))
	if err != nil {
		return fmt.Errorf("token revoke: %w", err)
	}
	fmt.Fprintf(std.err, "amends: token %d (%s) is revoked since %s\n", t.ID, t.Name, stamp(t.RevokedAt, ""))
	return nil
}

// cmdUserDisable disables (or, with enable, enables) a user by email.
func cmdUserDisable(ctx context.Context, cfg *config, args []string, std stdio, disable bool) error {
	name := "user enable"
	if disable {
		name = "user disable"
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	cfg.dbFlags(fs)
	email := fs.String("email", "", "the user (required)")
	if err := parse(fs, args, std); err != nil {
		return err
	}
	if *email == "" {
		return fmt.Errorf("%s: --email is required", name)
	}
	store, u, closeDB, err := openForUser(ctx, cfg, *email, name)
	if err != nil {
		return err
	}
	defer closeDB()
	if _, err := store.SetDisabled(ctx, nil, u.ID, disable); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if disable {
		fmt.Fprintf(std.err, "amends: %s is disabled: its sessions are ended, its API tokens and feed URL revoked\n", u.Email)
	} else {
		fmt.Fprintf(std.err, "amends: %s may sign in again; it needs new API tokens\n", u.Email)
	}
	return nil
}

// openForUser opens the store and finds the user a command is about; its
// errors name the command.
func openForUser(ctx context.Context, cfg *config, email, command string) (*models.Store, *models.User, func(), error) {
	store, closeDB, err := openStore(ctx, cfg, false)
	if err != nil {
		return nil, nil, nil, err
	}
	u, err := store.UserByEmail(ctx, email)
	if err != nil {
		closeDB()
		return nil, nil, nil, fmt.Errorf("%s: %w", command, err)
	}
	return store, u, closeDB, nil
}
