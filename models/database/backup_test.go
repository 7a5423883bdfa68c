package database_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

func countCustomers(t *testing.T, db *database.DB) int64 {
	t.Helper()
	var n int64
	if err := db.R.Table("customers").Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBackup: the copy opens, passes integrity_check and holds the data,
// also when it is taken while writes go on.
func TestBackup(t *testing.T) {
	scenarios := []struct {
		name    string
		writers int
	}{
		{"idle", 0},
		{"under concurrent writes", 4},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			ctx := context.Background()
			db := testdb.SQLite(t)
			f := testdb.NewFixture(t, db)
			stop := make(chan struct{})
			var wg sync.WaitGroup
			for w := range sc.writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; ; i++ {
						select {
						case <-stop:
							return
						default:
						}
						slug := fmt.Sprintf("w%d-%d", w, i)
						if _, err := f.Store.CreateCustomer(ctx, models.CustomerInput{Name: slug, Slug: slug, TimeZone: "UTC"}); err != nil {
							t.Errorf("write during backup: %v", err)
							return
						}
					}
				}()
			}
			before := countCustomers(t, db)
			path := filepath.Join(t.TempDir(), "copy.db")
			err := db.Backup(ctx, path)
			after := countCustomers(t, db)
			close(stop)
			wg.Wait()
			if err != nil {
				t.Fatalf("backup: %v", err)
			}
			if err := database.CheckIntegrity(ctx, path); err != nil {
				t.Fatal(err)
			}
			copyDB, err := database.Open(database.OpenConfig{SQLitePath: path})
			if err != nil {
				t.Fatal(err)
			}
			defer copyDB.Close()
			if err := database.CheckSchema(ctx, copyDB); err != nil {
				t.Fatalf("copy's schema: %v", err)
			}
			if n := countCustomers(t, copyDB); n < before || n > after {
				t.Fatalf("copy has %d customers, want between %d and %d", n, before, after)
			}
			if _, err := models.NewStore(copyDB).CustomerBySlug(ctx, "acme"); err != nil {
				t.Fatalf("copy lacks the fixture's customer: %v", err)
			}
			if _, err := os.Stat(path + ".partial"); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("temporary file left behind: %v", err)
			}
		})
	}
}

// TestBackupRefusesToOverwrite: an existing file is never replaced.
func TestBackupRefusesToOverwrite(t *testing.T) {
	db := testdb.SQLite(t)
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(path, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(context.Background(), path); !errors.Is(err, database.ErrBackupExists) {
		t.Fatalf("want ErrBackupExists, got %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "keep me" {
		t.Fatalf("existing file changed: %q", b)
	}
}
