// Package testdb gives tests a real, migrated database: a SQLite file in the
// test's temp dir always, and a fresh PostgreSQL database as well when
// AMENDS_TEST_POSTGRES_URL is set.
package testdb

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// EnvPostgres names the variable with an admin URL of a PostgreSQL server.
const EnvPostgres = "AMENDS_TEST_POSTGRES_URL"

// Run runs f once per backend, as subtests "sqlite" and "postgres".
func Run(t *testing.T, f func(t *testing.T, db *database.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { f(t, SQLite(t)) })
	if os.Getenv(EnvPostgres) != "" {
		t.Run("postgres", func(t *testing.T) { f(t, Postgres(t)) })
	}
}

// SQLite opens a migrated SQLite database in t's temp dir.
func SQLite(t testing.TB) *database.DB {
	t.Helper()
	return open(t, database.OpenConfig{SQLitePath: filepath.Join(t.TempDir(), "amends.db")})
}

// Postgres creates a fresh database on the server named by
// AMENDS_TEST_POSTGRES_URL, migrated, and drops it after the test. It skips
// the test when the variable is not set.
func Postgres(t testing.TB) *database.DB {
	t.Helper()
	u := PostgresURL(t)
	return open(t, database.OpenConfig{DatabaseURL: u})
}

// PostgresURL creates a fresh empty database and returns its URL.
func PostgresURL(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(EnvPostgres)
	if admin == "" {
		t.Skip(EnvPostgres + " is not set: skipping the PostgreSQL run (.ci/run sets it)")
	}
	adminDB, err := gorm.Open(postgres.Open(admin), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatalf("connect to %s: %v", EnvPostgres, err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "amends_test_" + hex.EncodeToString(b)
	if err := adminDB.Exec("CREATE DATABASE " + name).Error; err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		adminDB.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		if s, err := adminDB.DB(); err == nil {
			s.Close()
		}
	})
	parsed, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvPostgres, err)
	}
	parsed.Path = "/" + name
	return parsed.String()
}

func open(t testing.TB, cfg database.OpenConfig) *database.DB {
	t.Helper()
	db, err := database.Open(cfg)
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := database.Migrate(context.Background(), db); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}
