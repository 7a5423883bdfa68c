// Command amends runs the amends service and its one-shot commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `amends closes the loop after an outage.

Usage:
  amends serve [--addr :8080] [--db amends.db] [--database-url URL] [--demo]
      --demo fills an empty database with a demo and prints how to sign in;
      on the demo's database again, it prints new passwords and a new token
  amends migrate
  amends user add --email E --name N --role admin|sre|viewer|customer [--customer SLUG [--customer-admin]] [--password-stdin]
      --customer-admin makes a customer user its organisation's administrator:
      it manages contacts, invites and removes colleagues (portal Organisation page)
  amends user disable --email E       take the user's access away at once (sessions, tokens, feed)
  amends user enable --email E        let the user sign in again
  amends user link --email E --subject SUB
      let a staff user sign in as that subject at AMENDS_OIDC_ISSUER
  amends token create --email E [--name LABEL] [--expires 90d]
  amends token list --email E         the user's tokens: id, label, created, last used, expiry
  amends token revoke ID              the token stops working at the next request
  amends report --customer SLUG --month YYYY-MM [--format md|html|pdf|csv|json] [-o FILE] [--audience internal]
      the review as the customer reads it (our people shown as the provider's
      team); --audience internal adds our assignees, marked INTERNAL throughout
  amends import openslo FILE --customer SLUG
  amends sync github
  amends remind [--dry-run]           compose the reminders due now and send what waits in the outbox;
      --dry-run prints who would get what, and who gets nothing now and why
  amends mail test --to ADDRESS       send one message at once and print the SMTP server's answer
  amends backup --to FILE
  amends seed-bench --customers N --action-items M

Every flag has an AMENDS_* environment twin; see docs/operations.md.
Staff can sign in through an OpenID Connect provider: AMENDS_OIDC_ISSUER,
AMENDS_OIDC_CLIENT_ID, AMENDS_OIDC_CLIENT_SECRET (or _FILE), AMENDS_OIDC_ROLES
(such as amends-admins=admin,sre=sre,*=viewer), AMENDS_OIDC_ROLE_CLAIM (groups),
AMENDS_OIDC_SCOPES, AMENDS_OIDC_NAME; AMENDS_PASSWORD_LOGIN=off leaves staff
only the provider (customers keep passwords). See docs/operations.md.
Set AMENDS_BASE_URL to the public address for links in mail, feeds and
GitHub issues; unset, it is built from --addr (serve warns at start-up).
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "amends:", err)
		var ee exitError
		if errors.As(err, &ee) {
			os.Exit(ee.code)
		}
		os.Exit(1)
	}
}

// io bundles the standard streams, so commands can be tested.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

func run(ctx context.Context, args []string, in io.Reader, out, errOut io.Writer) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	std := stdio{in, out, errOut}
	if len(args) == 0 {
		fmt.Fprint(errOut, usage)
		return flag.ErrHelp
	}
	cmd, rest := args[0], args[1:]
	if len(args) > 1 && (cmd == "user" || cmd == "token" || cmd == "import" || cmd == "sync" || cmd == "mail") {
		cmd, rest = args[0]+" "+args[1], args[2:]
	}
	switch cmd {
	case "serve":
		return cmdServe(ctx, cfg, rest, std)
	case "migrate":
		return cmdMigrate(ctx, cfg, rest, std)
	case "user add":
		return cmdUserAdd(ctx, cfg, rest, std)
	case "user disable":
		return cmdUserDisable(ctx, cfg, rest, std, true)
	case "user enable":
		return cmdUserDisable(ctx, cfg, rest, std, false)
	case "user link":
		return cmdUserLink(ctx, cfg, rest, std)
	case "token create":
		return cmdTokenCreate(ctx, cfg, rest, std)
	case "token list":
		return cmdTokenList(ctx, cfg, rest, std)
	case "token revoke":
		return cmdTokenRevoke(ctx, cfg, rest, std)
	case "report":
		return cmdReport(ctx, cfg, rest, std)
	case "import openslo":
		return cmdImportOpenSLO(ctx, cfg, rest, std)
	case "sync github":
		return cmdSyncGitHub(ctx, cfg, rest, std)
	case "remind":
		return cmdRemind(ctx, cfg, rest, std)
	case "mail test":
		return cmdMailTest(ctx, cfg, rest, std)
	case "backup":
		return cmdBackup(ctx, cfg, rest, std)
	case "seed-bench":
		return cmdSeedBench(ctx, cfg, rest, std)
	case "help", "-h", "--help":
		fmt.Fprint(out, usage)
		return nil
	}
	fmt.Fprint(errOut, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

func newLogger(cfg *config, w io.Writer) *slog.Logger {
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}
