package ghsync_test

import (
	"testing"

	"github.com/google/go-github/v60/github"

	"github.com/amendsdev/amends/sync/ghfake"
	"github.com/amendsdev/amends/sync/ghsync"
)

// clientFor points a client built by NewClient at the fake.
func clientFor(t testing.TB, fake *ghfake.Server, cfg ghsync.Config) *github.Client {
	t.Helper()
	if cfg.Token == "" {
		cfg.Token = "token-a"
	}
	cfg.APIURL = fake.URL
	c, err := ghsync.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
