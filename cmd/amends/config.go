package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strings"

	"github.com/amendsdev/amends/subscribe/egress"
)

// config is every setting of amends. Each comes from its AMENDS_* variable
// first (secrets also from AMENDS_*_FILE), and a flag overrides it.
type config struct {
	Addr                string
	DB                  string
	DatabaseURL         string
	BaseURL             string
	GitHubToken         string
	GitHubAPIURL        string
	GitHubWebhookSecret string
	SMTPURL             string
	MailFrom            string
	LogFormat           string
	// WebhookAllowCIDRs are private ranges outgoing webhooks may reach
	// (AMENDS_WEBHOOK_ALLOW_CIDRS); by default only public addresses.
	WebhookAllowCIDRs string
	webhookAllow      []netip.Prefix
	HTTP              httpSettings
	OIDC              oidcSettings
	Prometheus        prometheusSettings
	// baseURLFromAddr says BaseURL was guessed from Addr, which is right
	// only on the machine itself: serve warns about it.
	baseURLFromAddr bool
}

func loadConfig() (*config, error) {
	c := &config{
		Addr:         env("AMENDS_ADDR", ":8080"),
		DB:           env("AMENDS_DB", "amends.db"),
		BaseURL:      env("AMENDS_BASE_URL", ""),
		GitHubAPIURL: env("AMENDS_GITHUB_API_URL", ""),
		MailFrom:     env("AMENDS_MAIL_FROM", ""),
		LogFormat:    env("AMENDS_LOG_FORMAT", "text"),
		HTTP:         loadHTTPSettings(),

		WebhookAllowCIDRs: env("AMENDS_WEBHOOK_ALLOW_CIDRS", ""),
	}
	var err error
	if c.OIDC, err = loadOIDCSettings(); err != nil {
		return nil, err
	}
	for _, s := range []struct {
		dst  *string
		name string
	}{
		{&c.DatabaseURL, "AMENDS_DATABASE_URL"}, {&c.GitHubToken, "AMENDS_GITHUB_TOKEN"},
		{&c.GitHubWebhookSecret, "AMENDS_GITHUB_WEBHOOK_SECRET"}, {&c.SMTPURL, "AMENDS_SMTP_URL"},
	} {
		if *s.dst, err = secret(s.name); err != nil {
			return nil, err
		}
	}
	if c.Prometheus, err = loadPrometheusSettings(); err != nil {
		return nil, err
	}
	return c, nil
}

// dbFlags adds the database flags shared by every command.
func (c *config) dbFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.DB, "db", c.DB, "SQLite database file (AMENDS_DB)")
	fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "PostgreSQL URL postgres://… instead of SQLite (AMENDS_DATABASE_URL)")
}

// validate checks settings and names the one that is wrong.
func (c *config) validate() error {
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("AMENDS_BASE_URL: want an absolute http(s) URL, got %q", c.BaseURL)
		}
		c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	} else {
		c.BaseURL, c.baseURLFromAddr = baseFromAddr(c.Addr), true
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("AMENDS_LOG_FORMAT: want text or json, got %q", c.LogFormat)
	}
	allow, err := egress.ParseAllow(c.WebhookAllowCIDRs)
	if err != nil {
		return fmt.Errorf("AMENDS_WEBHOOK_ALLOW_CIDRS: %w", err)
	}
	c.webhookAllow = allow
	if err := c.OIDC.validate(); err != nil {
		return err
	}
	return c.HTTP.validate()
}

// baseFromAddr is the URL links use when AMENDS_BASE_URL is not set: the
// listening address as seen from the same machine (":9090" and
// "0.0.0.0:9090" become http://localhost:9090).
func baseFromAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://localhost:8080"
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// warnBaseURL tells the operator that links are built from --addr.
func (c *config) warnBaseURL(log *slog.Logger) {
	if c.baseURLFromAddr {
		log.Warn("AMENDS_BASE_URL is not set: links in emails, feeds, invitations and GitHub issues use "+c.BaseURL+
			", built from --addr; set AMENDS_BASE_URL to the public URL in production", "base_url", c.BaseURL)
	}
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

// secret reads NAME, or the file named by NAME_FILE.
func secret(name string) (string, error) {
	if path := os.Getenv(name + "_FILE"); path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return "", fmt.Errorf("%s_FILE: %w", name, err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	return os.Getenv(name), nil
}
