package sli_test

import (
	"io"
	"log/slog"
	"testing"

	"github.com/amendsdev/amends/sli"
	"github.com/amendsdev/amends/sli/promtest"
)

func startMeter(t *testing.T) *sli.Meter {
	t.Helper()
	url := promtest.Start(t, promtest.FixtureSeries())
	m, err := sli.New(sli.Config{URL: url, Concurrency: 2}, discard())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
