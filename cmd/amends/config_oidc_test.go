package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOIDCSettings(t *testing.T) {
	secretFile := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secretFile, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AMENDS_OIDC_ISSUER", "https://sso.example.com/realms/staff")
	t.Setenv("AMENDS_OIDC_CLIENT_ID", "amends")
	t.Setenv("AMENDS_OIDC_CLIENT_SECRET_FILE", secretFile)
	t.Setenv("AMENDS_OIDC_ROLES", "amends-admins=admin,*=viewer")
	t.Setenv("AMENDS_PASSWORD_LOGIN", "off")
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.validate(); err != nil {
		t.Fatal(err)
	}
	o := cfg.OIDC
	if o.ClientSecret != "s3cret" || o.RoleClaim != "groups" || !o.passwordsOff || len(o.rules) != 2 {
		t.Errorf("settings %+v", o)
	}
	c, err := o.client(cfg.BaseURL, nil)
	if err != nil || c.Name() != "sso.example.com" {
		t.Fatalf("client: %v, %v", c, err)
	}

	for _, sc := range []struct{ name, value, named string }{
		{"AMENDS_OIDC_ISSUER", "http://sso.example.com", "AMENDS_OIDC_ISSUER"},
		{"AMENDS_OIDC_ISSUER", "sso.example.com", "AMENDS_OIDC_ISSUER"},
		{"AMENDS_OIDC_CLIENT_ID", "", "AMENDS_OIDC_CLIENT_ID"},
		{"AMENDS_OIDC_ROLES", "", "AMENDS_OIDC_ROLES"},
		{"AMENDS_OIDC_ROLES", "admins=root", "AMENDS_OIDC_ROLES"},
		{"AMENDS_OIDC_ROLE_CLAIM", "", "AMENDS_OIDC_ROLE_CLAIM"},
		{"AMENDS_PASSWORD_LOGIN", "maybe", "AMENDS_PASSWORD_LOGIN"},
	} {
		t.Run(sc.name+"="+sc.value, func(t *testing.T) {
			t.Setenv(sc.name, sc.value)
			assertConfigError(t, sc.named)
		})
	}
	t.Run("passwords off without a provider", func(t *testing.T) {
		t.Setenv("AMENDS_OIDC_ISSUER", "")
		t.Setenv("AMENDS_OIDC_CLIENT_ID", "")
		t.Setenv("AMENDS_OIDC_CLIENT_SECRET_FILE", "")
		t.Setenv("AMENDS_OIDC_ROLES", "")
		assertConfigError(t, "AMENDS_PASSWORD_LOGIN=off")
	})
	t.Run("a client id without an issuer", func(t *testing.T) {
		t.Setenv("AMENDS_OIDC_ISSUER", "")
		t.Setenv("AMENDS_PASSWORD_LOGIN", "on")
		assertConfigError(t, "AMENDS_OIDC_CLIENT_ID")
	})
	t.Run("http on this machine", func(t *testing.T) {
		t.Setenv("AMENDS_OIDC_ISSUER", "http://127.0.0.1:19400/oidc")
		cfg, err := loadConfig()
		if err == nil {
			err = cfg.validate()
		}
		if err != nil {
			t.Fatal(err)
		}
	})
}

func assertConfigError(t *testing.T, named string) {
	t.Helper()
	cfg, err := loadConfig()
	if err == nil {
		err = cfg.validate()
	}
	if err == nil || !strings.Contains(err.Error(), named) {
		t.Errorf("error %v, want one naming %s", err, named)
	}
}

// TestUserLinkCommand: the operator links a staff user to a subject at the
// configured provider; a second user cannot take the same subject.
func TestUserLinkCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "amends.db")
	if _, _, err := amends(t, "", "migrate", "--db", db); err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"lead@example.com", "other@example.com"} {
		if _, _, err := amends(t, "", "user", "add", "--db", db, "--email", email, "--name", "N", "--role", "sre"); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := amends(t, "", "user", "link", "--db", db, "--email", "lead@example.com", "--subject", "s-1"); err == nil ||
		!strings.Contains(err.Error(), "AMENDS_OIDC_ISSUER") {
		t.Fatalf("without an issuer: %v", err)
	}
	t.Setenv("AMENDS_OIDC_ISSUER", "https://sso.example.com/realms/staff")
	_, msg, err := amends(t, "", "user", "link", "--db", db, "--email", "lead@example.com", "--subject", "s-1")
	if err != nil || !strings.Contains(msg, "lead@example.com now signs in as s-1 at https://sso.example.com/realms/staff") {
		t.Fatalf("link: %q, %v", msg, err)
	}
	if _, _, err := amends(t, "", "user", "link", "--db", db, "--email", "other@example.com", "--subject", "s-1"); err == nil ||
		!strings.Contains(err.Error(), "already signs in as s-1") {
		t.Fatalf("a second user for the subject: %v", err)
	}
	if _, _, err := amends(t, "", "user", "link", "--db", db, "--email", "nobody@example.com", "--subject", "s-2"); err == nil {
		t.Fatal("linked a user that does not exist")
	}
}
