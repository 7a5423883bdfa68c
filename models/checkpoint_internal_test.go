package models

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

func TestCheckpointsRunOutsideWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "amends.db")
	db, err := Open(OpenConfig{SQLitePath: path})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var auto int
	if err := db.W.Raw("PRAGMA wal_autocheckpoint").Scan(&auto).Error; err != nil {
		t.Fatal(err)
	}
	if auto != 0 {
		t.Fatalf("the writer checkpoints every %d pages itself", auto)
	}
	if err := Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	db.checkpoints.checkpoint()
	// The database file alone, without its WAL, now holds the schema.
	file, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&immutable=1")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	var n int
	if err := file.QueryRow("SELECT count(*) FROM sqlite_master WHERE name = 'schema_migrations'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatal("after the checkpointer's pass the database file still lacks what the WAL holds")
	}
}
