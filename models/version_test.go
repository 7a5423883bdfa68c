package models_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
)

func TestVersionFollowsEveryWriter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "amends.db")
	db := openSQLite(t, path)
	if err := models.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	version := func() int64 {
		v, ok := db.Version(ctx)
		if !ok {
			t.Fatal("SQLite has no version")
		}
		return v
	}
	// Let the first look at data_version pass, then reads leave it alone.
	time.Sleep(150 * time.Millisecond)
	v0 := version()
	var n int64
	if err := db.R.Raw("SELECT count(*) FROM customers").Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	if v := version(); v != v0 {
		t.Fatalf("a read moved the version from %d to %d", v0, v)
	}

	store := models.NewStore(db)
	if _, err := store.CreateCustomer(ctx, models.CustomerInput{Name: "Acme", Slug: "acme"}); err != nil {
		t.Fatal(err)
	}
	v1 := version()
	if v1 == v0 {
		t.Fatal("a write through the store left the version unchanged")
	}

	other := openSQLite(t, path)
	if err := other.W.Exec("UPDATE customers SET name = 'Acme Corp'").Error; err != nil {
		t.Fatal(err)
	}
	v2 := version()
	if v2 == v1 {
		t.Fatal("a write through another handle in this process left the version unchanged")
	}

	// Another process: a plain connection that amends does not count.
	raw, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("UPDATE customers SET name = 'Acme Inc'"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for version() == v2 {
		if time.Now().After(deadline) {
			t.Fatal("a write by another process was never noticed")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func openSQLite(t *testing.T, path string) *models.DB {
	t.Helper()
	db, err := models.Open(models.OpenConfig{SQLitePath: path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestWriterQueueGivesUpWithItsContext(t *testing.T) {
	db := openSQLite(t, filepath.Join(t.TempDir(), "amends.db"))
	if err := models.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	tx := db.W.Begin()
	if tx.Error != nil {
		t.Fatal(tx.Error)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	err := db.W.WithContext(short).Exec("UPDATE customers SET name = name").Error
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a write queued behind a transaction: %v, want the context's deadline", err)
	}
	if err := tx.Commit().Error; err != nil {
		t.Fatal(err)
	}
	// The abandoned wait left no turn behind: writes go on.
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- db.W.Exec("UPDATE customers SET name = name").Error
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent write: %v", err)
		}
	}
}
