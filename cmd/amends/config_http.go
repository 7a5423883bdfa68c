package main

import (
	"flag"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/amendsdev/amends/server"
)

// httpSettings are serve's limits on clients, as the operator wrote them;
// validate turns them into server.Limits and the trusted proxies.
type httpSettings struct {
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout string
	MaxBody, MaxUpload                                        string
	TrustedProxies                                            string

	limits  server.Limits
	proxies []*net.IPNet
}

func loadHTTPSettings() httpSettings {
	d := server.DefaultLimits()
	return httpSettings{
		ReadHeaderTimeout: env("AMENDS_READ_HEADER_TIMEOUT", d.ReadHeaderTimeout.String()),
		ReadTimeout:       env("AMENDS_READ_TIMEOUT", d.ReadTimeout.String()),
		WriteTimeout:      env("AMENDS_WRITE_TIMEOUT", d.WriteTimeout.String()),
		IdleTimeout:       env("AMENDS_IDLE_TIMEOUT", d.IdleTimeout.String()),
		MaxBody:           env("AMENDS_MAX_BODY", strconv.FormatInt(d.MaxBody, 10)),
		MaxUpload:         env("AMENDS_MAX_UPLOAD", strconv.FormatInt(d.MaxUpload, 10)),
		TrustedProxies:    env("AMENDS_TRUSTED_PROXIES", ""),
	}
}

// flags adds serve's flags for these settings.
func (h *httpSettings) flags(fs *flag.FlagSet) {
	for _, f := range []struct {
		dst        *string
		name, help string
	}{
		{&h.ReadHeaderTimeout, "read-header-timeout", "time a client has to send its request headers (AMENDS_READ_HEADER_TIMEOUT)"},
		{&h.ReadTimeout, "read-timeout", "time a client has to send its whole request, body included (AMENDS_READ_TIMEOUT)"},
		{&h.WriteTimeout, "write-timeout", "time an answer may take to write (AMENDS_WRITE_TIMEOUT)"},
		{&h.IdleTimeout, "idle-timeout", "time a kept-alive connection may wait for its next request (AMENDS_IDLE_TIMEOUT)"},
		{&h.MaxBody, "max-body", "largest form or JSON body, in bytes or with KiB/MiB (AMENDS_MAX_BODY)"},
		{&h.MaxUpload, "max-upload", "largest OpenSLO upload or GitHub delivery (AMENDS_MAX_UPLOAD)"},
		{&h.TrustedProxies, "trusted-proxies", "comma-separated CIDRs whose X-Forwarded-For is believed (AMENDS_TRUSTED_PROXIES)"},
	} {
		fs.StringVar(f.dst, f.name, *f.dst, f.help)
	}
}

// validate parses the settings, naming the one that is wrong.
func (h *httpSettings) validate() error {
	for _, d := range []struct {
		src, name string
		dst       *time.Duration
	}{
		{h.ReadHeaderTimeout, "AMENDS_READ_HEADER_TIMEOUT", &h.limits.ReadHeaderTimeout},
		{h.ReadTimeout, "AMENDS_READ_TIMEOUT", &h.limits.ReadTimeout},
		{h.WriteTimeout, "AMENDS_WRITE_TIMEOUT", &h.limits.WriteTimeout},
		{h.IdleTimeout, "AMENDS_IDLE_TIMEOUT", &h.limits.IdleTimeout},
	} {
		v, err := time.ParseDuration(strings.TrimSpace(d.src))
		if err != nil || v <= 0 {
			return fmt.Errorf("%s: want a duration such as 30s or 2m, got %q", d.name, d.src)
		}
		*d.dst = v
	}
	for _, s := range []struct {
		src, name string
		dst       *int64
	}{
		{h.MaxBody, "AMENDS_MAX_BODY", &h.limits.MaxBody}, {h.MaxUpload, "AMENDS_MAX_UPLOAD", &h.limits.MaxUpload},
	} {
		n, err := parseSize(s.src)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		*s.dst = n
	}
	h.proxies = nil
	for _, c := range strings.Split(h.TrustedProxies, ",") {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		_, n, err := net.ParseCIDR(c)
		if err != nil {
			return fmt.Errorf("AMENDS_TRUSTED_PROXIES: want CIDRs such as 10.0.0.0/8, got %q", c)
		}
		h.proxies = append(h.proxies, n)
	}
	return nil
}

// parseSize reads a byte count: 65536, 64KiB, 1MiB (KB and MB are read as
// KiB and MiB).
func parseSize(s string) (int64, error) {
	v := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"KB", 1 << 10}, {"MB", 1 << 20}, {"K", 1 << 10}, {"M", 1 << 20}} {
		if rest, ok := strings.CutSuffix(v, u.suffix); ok {
			v, mult = strings.TrimSpace(rest), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 || n > (1<<40)/mult {
		return 0, fmt.Errorf("want a size in bytes such as 65536 or 64KiB, got %q", s)
	}
	return n * mult, nil
}
