package main

import (
	"context"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// status is the answer to a GET with a bearer token.
func status(t *testing.T, url, token string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := checkedClient(t).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestTokenAndDisableCommands: token create --expires, token list, token
// revoke and user disable/enable against a running serve, each taking
// effect at the next request though the token was just used.
func TestTokenAndDisableCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "amends.db")
	if _, _, err := amends(t, "", "migrate", "--db", db); err != nil {
		t.Fatal(err)
	}
	if _, _, err := amends(t, "a long enough password\n", "user", "add", "--db", db, "--email", "lead@example.com",
		"--name", "Lead", "--role", "sre", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	mint := func(args ...string) string {
		t.Helper()
		out, _, err := amends(t, "", append([]string{"token", "create", "--db", db, "--email", "lead@example.com"}, args...)...)
		if err != nil {
			t.Fatalf("token create %v: %v", args, err)
		}
		return strings.TrimSpace(out)
	}
	ci, expiring := mint("--name", "ci"), mint("--name", "laptop", "--expires", "90d")

	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--db", db, "--addr", addr}, nil, &strings.Builder{}, &strings.Builder{})
	}()
	base := "http://" + addr
	waitReady(t, base+"/readyz", done)
	api := base + "/api/v1/postmortems"
	for _, tok := range []string{ci, expiring, ci} {
		if s := status(t, api, tok); s != 200 {
			t.Fatalf("a new token answers %d", s)
		}
	}

	out, _, err := amends(t, "", "token", "list", "--db", db, "--email", "lead@example.com")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	in90 := time.Now().UTC().Add(90 * 24 * time.Hour).Format("2006-01-02")
	if len(lines) != 3 || !strings.Contains(lines[0], "LAST USED") || !strings.Contains(lines[0], "EXPIRES") ||
		!strings.Contains(lines[1], "laptop") || !strings.Contains(lines[1], in90) || !strings.Contains(lines[2], "never") {
		t.Fatalf("token list:\n%s", out)
	}
	if strings.Count(lines[2], "UTC") != 2 || strings.Count(lines[1], "UTC") != 3 {
		t.Errorf("the used tokens show no last use:\n%s", out)
	}
	ciID := regexp.MustCompile(`^\d+`).FindString(lines[2])

	if _, _, err := amends(t, "", "token", "revoke", ciID, "--db", db); err != nil {
		t.Fatalf("token revoke: %v", err)
	}
	if s := status(t, api, ci); s != 401 {
		t.Errorf("a revoked token answers %d", s)
	}
	if s := status(t, api, expiring); s != 200 {
		t.Errorf("revoking one token ended another: %d", s)
	}
	if _, _, err := amends(t, "", "user", "disable", "--db", db, "--email", "lead@example.com"); err != nil {
		t.Fatalf("user disable: %v", err)
	}
	if s := status(t, api, expiring); s != 401 {
		t.Errorf("a disabled user's token answers %d", s)
	}
	if _, _, err := amends(t, "", "token", "create", "--db", db, "--email", "lead@example.com"); err == nil || !strings.Contains(err.Error(), "disabled") {
		t.Errorf("a disabled user got a token: %v", err)
	}
	if _, _, err := amends(t, "", "user", "enable", "--db", db, "--email", "lead@example.com"); err != nil {
		t.Fatalf("user enable: %v", err)
	}
	if s := status(t, api, mint("--name", "new")); s != 200 {
		t.Errorf("a token made after enabling answers %d", s)
	}

	scenarios := []struct {
		args []string
		want string
	}{
		{[]string{"token", "create", "--db", db, "--email", "lead@example.com", "--expires", "0d"}, "lifetime"},
		{[]string{"token", "create", "--db", db, "--email", "lead@example.com", "--expires", "soon"}, "lifetime"},
		{[]string{"token", "revoke", "--db", db}, "token's ID"},
		{[]string{"token", "revoke", "99999", "--db", db}, "not found"},
		{[]string{"token", "list", "--db", db}, "--email is required"},
		{[]string{"user", "disable", "--db", db, "--email", "nobody@example.com"}, "not found"},
	}
	for _, sc := range scenarios {
		if _, _, err := amends(t, "", sc.args...); err == nil || !strings.Contains(err.Error(), sc.want) {
			t.Errorf("%v: %v, want an error mentioning %q", sc.args, err, sc.want)
		}
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not shut down")
	}
}

// TestWebhookAllowSetting: a bad AMENDS_WEBHOOK_ALLOW_CIDRS stops serve
// with a message naming the setting.
func TestWebhookAllowSetting(t *testing.T) {
	t.Setenv("AMENDS_WEBHOOK_ALLOW_CIDRS", "10.0.0.0/8, intranet")
	_, _, err := amends(t, "", "serve", "--db", filepath.Join(t.TempDir(), "a.db"), "--addr", freeAddr(t))
	if err == nil || !strings.Contains(err.Error(), "AMENDS_WEBHOOK_ALLOW_CIDRS") || !strings.Contains(err.Error(), "intranet") {
		t.Errorf("serve with a bad allow list: %v", err)
	}
}
