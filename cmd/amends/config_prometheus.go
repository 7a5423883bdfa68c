package main

import (
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/amendsdev/amends/sli"
)

// prometheusSettings are the SLI data source's settings
// (AMENDS_PROMETHEUS_*); no URL turns measuring off.
type prometheusSettings struct {
	URL, Token, Username, Password string
	Timeout, Concurrency           string
}

func loadPrometheusSettings() (prometheusSettings, error) {
	p := prometheusSettings{
		URL: env("AMENDS_PROMETHEUS_URL", ""), Username: env("AMENDS_PROMETHEUS_USERNAME", ""),
		Timeout: env("AMENDS_PROMETHEUS_TIMEOUT", ""), Concurrency: env("AMENDS_PROMETHEUS_CONCURRENCY", ""),
	}
	var err error
	if p.Token, err = secret("AMENDS_PROMETHEUS_TOKEN"); err != nil {
		return p, err
	}
	p.Password, err = secret("AMENDS_PROMETHEUS_PASSWORD")
	return p, err
}

// meter builds the SLI meter, or nil when no URL is set; every setting
// that is wrong is named.
func (p prometheusSettings) meter(log *slog.Logger) (*sli.Meter, error) {
	if p.URL == "" {
		return nil, nil
	}
	cfg := sli.Config{URL: p.URL, Token: p.Token, Username: p.Username, Password: p.Password}
	if p.Timeout != "" {
		d, err := time.ParseDuration(p.Timeout)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("AMENDS_PROMETHEUS_TIMEOUT: want a duration such as 30s, got %q", p.Timeout)
		}
		cfg.Timeout = d
	}
	if p.Concurrency != "" {
		n, err := strconv.Atoi(p.Concurrency)
		if err != nil || n < 1 || n > 256 {
			return nil, fmt.Errorf("AMENDS_PROMETHEUS_CONCURRENCY: want a whole number from 1 to 256, got %q", p.Concurrency)
		}
		cfg.Concurrency = n
	}
	if p.Token != "" && p.Username != "" {
		return nil, fmt.Errorf("AMENDS_PROMETHEUS_TOKEN and AMENDS_PROMETHEUS_USERNAME: set one or the other")
	}
	return sli.New(cfg, log)
}
