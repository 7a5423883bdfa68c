package models

import (
	"fmt"
	"path/filepath"
	"testing"

	"gorm.io/gorm"
)

// The cached statements of the writer and of the readers give the same
// answers as fresh ones: with rows of a statement still open, the same
// text runs apart instead of resetting them; and a full cache starts over
// without finalizing a statement still read. On the writer, a text of
// several statements runs all of them.
func TestStatementCache(t *testing.T) {
	db, err := Open(OpenConfig{SQLitePath: filepath.Join(t.TempDir(), "amends.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.W.Exec("CREATE TABLE t (x INTEGER); CREATE TABLE u (y INTEGER)").Error; err != nil {
		t.Fatal(err)
	}
	if !db.W.Migrator().HasTable("u") {
		t.Fatal("the second statement of a text did not run")
	}
	for i := 1; i <= 3; i++ {
		if err := db.W.Exec("INSERT INTO t (x) VALUES (?)", i).Error; err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name  string
		pool  *gorm.DB
		limit int
		other func(i int) string // a statement of its own text for each i
	}{
		{"writer", db.W, writerStmts, func(i int) string { return fmt.Sprintf("UPDATE t SET x = x WHERE x = %d", -i) }},
		{"reader", db.R, readerStmts, func(i int) string { return fmt.Sprintf("SELECT x FROM t WHERE x = %d", -i) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tx := tt.pool.Begin() // one connection throughout
			defer tx.Rollback()
			checkStatementCache(t, tx, tt.limit, tt.other)
		})
	}
}

func checkStatementCache(t *testing.T, tx *gorm.DB, limit int, other func(int) string) {
	t.Helper()
	const q = "SELECT x FROM t WHERE x > ? ORDER BY x"
	outer, err := tx.Raw(q, 0).Rows()
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for outer.Next() {
		var x int
		if err := outer.Scan(&x); err != nil {
			t.Fatal(err)
		}
		got = append(got, x)
		if len(got) == 1 {
			var inner []int
			if err := tx.Raw(q, 1).Scan(&inner).Error; err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(inner) != "[2 3]" {
				t.Fatalf("the same text with open rows gave %v, want [2 3]", inner)
			}
			for i := range limit + 1 { // fills the cache past its bound
				if err := tx.Exec(other(i)).Error; err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if err := outer.Close(); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[1 2 3]" {
		t.Fatalf("rows read around other statements: %v, want [1 2 3]", got)
	}
	var again []int
	if err := tx.Raw(q, 2).Scan(&again).Error; err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(again) != "[3]" {
		t.Fatalf("the text run again once its rows were closed gave %v, want [3]", again)
	}
}
