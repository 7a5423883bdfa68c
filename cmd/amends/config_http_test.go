package main

import (
	"strings"
	"testing"
	"time"
)

func TestHTTPSettings(t *testing.T) {
	t.Setenv("AMENDS_READ_TIMEOUT", "45s")
	t.Setenv("AMENDS_MAX_BODY", "128KiB")
	t.Setenv("AMENDS_TRUSTED_PROXIES", "10.0.0.0/8, fd00::/8")
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.validate(); err != nil {
		t.Fatal(err)
	}
	l := cfg.HTTP.limits
	if l.ReadTimeout != 45*time.Second || l.MaxBody != 128<<10 || l.MaxUpload != 1<<20 || l.ReadHeaderTimeout != 5*time.Second {
		t.Errorf("limits %+v", l)
	}
	if len(cfg.HTTP.proxies) != 2 || cfg.HTTP.proxies[1].String() != "fd00::/8" {
		t.Errorf("trusted proxies %v", cfg.HTTP.proxies)
	}
	for _, sc := range []struct{ name, value string }{
		{"AMENDS_READ_HEADER_TIMEOUT", "soon"},
		{"AMENDS_IDLE_TIMEOUT", "-1s"},
		{"AMENDS_MAX_UPLOAD", "lots"},
		{"AMENDS_MAX_BODY", "0"},
		{"AMENDS_TRUSTED_PROXIES", "10.0.0.1"},
	} {
		t.Run(sc.name, func(t *testing.T) {
			t.Setenv(sc.name, sc.value)
			cfg, err := loadConfig()
			if err == nil {
				err = cfg.validate()
			}
			if err == nil || !strings.Contains(err.Error(), sc.name) {
				t.Errorf("%s=%q: error %v, want one naming the setting", sc.name, sc.value, err)
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"65536": 65536, "64KiB": 64 << 10, "64 KB": 64 << 10, "1MiB": 1 << 20, "2M": 2 << 20} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "1GiB", "x", "99999999999999MiB"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) accepted", in)
		}
	}
}
