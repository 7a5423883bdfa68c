package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/amendsdev/amends/sync/ghfake"
)

func TestSyncGitHubCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "amends.db")
	if _, _, err := amends(t, "", "migrate", "--db", db); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	t.Setenv("AMENDS_GITHUB_TOKEN", "")
	if _, _, err := amends(t, "", "sync", "github", "--db", db); err == nil || !strings.Contains(err.Error(), "AMENDS_GITHUB_TOKEN") {
		t.Errorf("without a token: %v, want an error naming AMENDS_GITHUB_TOKEN", err)
	}
	fake := ghfake.New(t)
	t.Setenv("AMENDS_GITHUB_TOKEN", "token")
	t.Setenv("AMENDS_GITHUB_API_URL", fake.URL)
	out, _, err := amends(t, "", "sync", "github", "--db", db)
	if err != nil || !strings.Contains(out, "repos 0") {
		t.Errorf("one pass: %q, %v", out, err)
	}
}
