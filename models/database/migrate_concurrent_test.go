package database_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"slices"
	"sync"
	"testing"

	"github.com/amendsdev/amends/models/testdb"
)

// schemaShape lists every column of the public schema and every applied
// migration, to compare two databases.
func schemaShape(t *testing.T, db *database.DB) []string {
	t.Helper()
	var cols, versions []string
	if err := db.R.Raw(`SELECT table_name || '.' || column_name || ' ' || data_type FROM information_schema.columns
		WHERE table_schema = 'public' ORDER BY 1`).Scan(&cols).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.R.Raw("SELECT 'migration ' || version FROM schema_migrations ORDER BY version").Scan(&versions).Error; err != nil {
		t.Fatal(err)
	}
	return append(cols, versions...)
}

// TestConcurrentMigrationsOnPostgres: replicas starting together on a fresh
// database all succeed, and the schema is the one a single migration makes.
func TestConcurrentMigrationsOnPostgres(t *testing.T) {
	want := schemaShape(t, testdb.Postgres(t))
	url := testdb.PostgresURL(t)
	const replicas = 6
	dbs := make([]*database.DB, replicas)
	for i := range dbs {
		db, err := database.Open(database.OpenConfig{DatabaseURL: url})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	errs := make([]error, replicas)
	var wg sync.WaitGroup
	for i, db := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = database.Migrate(context.Background(), db)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d: migrate: %v", i, err)
		}
	}
	if err := database.CheckSchema(context.Background(), dbs[0]); err != nil {
		t.Fatal(err)
	}
	if got := schemaShape(t, dbs[0]); !slices.Equal(got, want) {
		t.Fatalf("schema after concurrent migrations differs:\n got %d entries\nwant %d entries", len(got), len(want))
	}
}
