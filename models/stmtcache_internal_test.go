package models

import (
	"fmt"
	"path/filepath"
	"testing"
)

// The writer's cached statements give the same answers as fresh ones:
// with rows of a statement still open, the same text runs apart instead
// of resetting them; a text of several statements runs all of them; and
// a full cache starts over without finalizing a statement still read.
func TestWriterStatementCache(t *testing.T) {
	db, err := Open(OpenConfig{SQLitePath: filepath.Join(t.TempDir(), "amends.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w := db.W
	if err := w.Exec("CREATE TABLE t (x INTEGER); CREATE TABLE u (y INTEGER)").Error; err != nil {
		t.Fatal(err)
	}
	if !w.Migrator().HasTable("u") {
		t.Fatal("the second statement of a text did not run")
	}
	for i := 1; i <= 3; i++ {
		if err := w.Exec("INSERT INTO t (x) VALUES (?)", i).Error; err != nil {
			t.Fatal(err)
		}
	}
	tx := w.Begin()
	defer tx.Rollback()
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
			for i := range writerStmts + 1 { // fills the cache past its bound
				if err := tx.Exec(fmt.Sprintf("UPDATE t SET x = x WHERE x = %d", -i)).Error; err != nil {
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
