package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// Without AMENDS_BASE_URL, links are built from the listening address.
func TestBaseURLFollowsAddrWhenUnset(t *testing.T) {
	scenarios := []struct {
		name, base, addr, want string
		guessed                bool
	}{
		{"port only", "", ":9090", "http://localhost:9090", true},
		{"all interfaces", "", "0.0.0.0:9191", "http://localhost:9191", true},
		{"all IPv6 interfaces", "", "[::]:9292", "http://localhost:9292", true},
		{"named host", "", "amends.internal:8443", "http://amends.internal:8443", true},
		{"IPv6 host", "", "[::1]:9393", "http://[::1]:9393", true},
		{"set explicitly", "https://amends.example.com/", ":9090", "https://amends.example.com", false},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Setenv("AMENDS_BASE_URL", sc.base)
			t.Setenv("AMENDS_ADDR", sc.addr)
			cfg, err := loadConfig()
			if err != nil {
				t.Fatal(err)
			}
			if err := cfg.validate(); err != nil {
				t.Fatal(err)
			}
			if cfg.BaseURL != sc.want || cfg.baseURLFromAddr != sc.guessed {
				t.Errorf("base URL %q (guessed %v), want %q (guessed %v)", cfg.BaseURL, cfg.baseURLFromAddr, sc.want, sc.guessed)
			}
		})
	}
}

// serve warns at start-up when the base URL was guessed from --addr, and
// says nothing when it is set.
func TestServeWarnsWhenBaseURLIsGuessed(t *testing.T) {
	db := filepath.Join(t.TempDir(), "amends.db")
	// 256.0.0.1 cannot be listened on: serve stops after start-up.
	t.Setenv("AMENDS_BASE_URL", "")
	_, stderr, err := amends(t, "", "serve", "--db", db, "--addr", "256.0.0.1:9090")
	if err == nil {
		t.Fatal("serve on a bad address did not fail")
	}
	if !strings.Contains(stderr, "AMENDS_BASE_URL is not set") || !strings.Contains(stderr, "http://256.0.0.1:9090") ||
		!strings.Contains(stderr, "production") {
		t.Errorf("no warning naming the guessed URL:\n%s", stderr)
	}
	t.Setenv("AMENDS_BASE_URL", "https://amends.example.com")
	_, stderr, _ = amends(t, "", "serve", "--db", db, "--addr", "256.0.0.1:9090")
	if strings.Contains(stderr, "AMENDS_BASE_URL is not set") {
		t.Errorf("warned although AMENDS_BASE_URL is set:\n%s", stderr)
	}
}
