package models_test

import (
	"database/sql"
	"path/filepath"
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
