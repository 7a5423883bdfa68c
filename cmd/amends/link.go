package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
)

// cmdUserLink ties a staff user to a person at the identity provider by
// hand: for a provider that does not vouch for emails, whose first
// sign-in with an email that already has a password account is refused
// (the refusal's log line names the subject).
func cmdUserLink(ctx context.Context, cfg *config, args []string, std stdio) error {
	fs := flag.NewFlagSet("user link", flag.ContinueOnError)
	cfg.dbFlags(fs)
	email := fs.String("email", "", "the staff user (required)")
	subject := fs.String("subject", "", "the person's subject (sub) at AMENDS_OIDC_ISSUER (required)")
	if err := parse(fs, args, std); err != nil {
		return err
	}
	if *email == "" || *subject == "" {
		return errors.New("user link: --email and --subject are required")
	}
	if cfg.OIDC.Issuer == "" {
		return errors.New("user link: AMENDS_OIDC_ISSUER is not set: link to which identity provider?")
	}
	store, u, closeDB, err := openForUser(ctx, cfg, *email, "user link")
	if err != nil {
		return err
	}
	defer closeDB()
	if _, err := store.LinkFederated(ctx, nil, u.ID, cfg.OIDC.Issuer, *subject); err != nil {
		return fmt.Errorf("user link: %w", err)
	}
	fmt.Fprintf(std.err, "amends: %s now signs in as %s at %s; the provider's claims give its role at each sign-in\n",
		u.Email, *subject, cfg.OIDC.Issuer)
	return nil
}
