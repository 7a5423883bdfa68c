package main

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models"
)

// TestBackupAndRestore follows docs/operations.md: back up, keep writing,
// then restore (stop, remove the database and its -wal and -shm files, put
// the copy in its place, start) and find the data as it was at the backup.
func TestBackupAndRestore(t *testing.T) {
	dir := t.TempDir()
	db, copyPath := filepath.Join(dir, "amends.db"), filepath.Join(dir, "backup.db")
	if _, _, err := amends(t, "", "migrate", "--db", db); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	addCustomer(t, db, "kilo")
	if _, errOut, err := amends(t, "", "backup", "--db", db, "--to", copyPath); err != nil || !strings.Contains(errOut, "integrity ok") {
		t.Fatalf("backup: %v %s", err, errOut)
	}
	addCustomer(t, db, "lima")

	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(db + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(db, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := amends(t, "", "migrate", "--db", db); err != nil {
		t.Fatalf("start on the restored database: %v", err)
	}
	restored, err := database.Open(database.OpenConfig{SQLitePath: db})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	store := models.NewStore(restored)
	if _, err := store.CustomerBySlug(context.Background(), "kilo"); err != nil {
		t.Fatalf("restored database lacks what the backup held: %v", err)
	}
	if _, err := store.CustomerBySlug(context.Background(), "lima"); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("restored database has a write made after the backup: %v", err)
	}
}

func TestBackupRefusals(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "amends.db")
	if _, _, err := amends(t, "", "migrate", "--db", db); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	scenarios := []struct {
		name string
		args []string
		want string
	}{
		{"no target", []string{"backup", "--db", db}, "--to is required"},
		{"existing target", []string{"backup", "--db", db, "--to", db}, "exists already"},
		{"missing database", []string{"backup", "--db", filepath.Join(dir, "nope.db"), "--to", filepath.Join(dir, "x.db")}, "nope.db"},
		{"postgres", []string{"backup", "--database-url", "postgres://db/amends", "--to", filepath.Join(dir, "y.db")}, "pg_dump"},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			_, _, err := amends(t, "", sc.args...)
			if err == nil || !strings.Contains(err.Error(), sc.want) {
				t.Fatalf("want an error with %q, got %v", sc.want, err)
			}
		})
	}
}
