package models

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"gorm.io/gorm"
)

// Writes sharing a transaction keep their own outcome: a failing or
// panicking write leaves nothing behind, and takes no other write with it.
func TestGroupedWritesFailAlone(t *testing.T) {
	db, err := Open(OpenConfig{SQLitePath: filepath.Join(t.TempDir(), "amends.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.W.Exec("CREATE TABLE notes (n INTEGER PRIMARY KEY)").Error; err != nil {
		t.Fatal(err)
	}
	errOdd := errors.New("odd")
	const writers = 200
	var wg sync.WaitGroup
	outcomes := make([]string, writers)
	for n := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					outcomes[n] = fmt.Sprint("panic: ", p)
				}
			}()
			err := db.inGroup(context.Background(), func(tx *gorm.DB) error {
				if err := tx.Exec("INSERT INTO notes (n) VALUES (?)", n).Error; err != nil {
					return err
				}
				switch {
				case n%10 == 3:
					panic("three")
				case n%2 == 1:
					return errOdd
				}
				return nil
			})
			if err != nil {
				outcomes[n] = err.Error()
			}
		}()
	}
	wg.Wait()
	var kept []int
	if err := db.R.Raw("SELECT n FROM notes ORDER BY n").Scan(&kept).Error; err != nil {
		t.Fatal(err)
	}
	if len(kept) != writers/2 {
		t.Errorf("%d rows kept, want the %d even writes", len(kept), writers/2)
	}
	for _, n := range kept {
		if n%2 != 0 {
			t.Errorf("the failed write of %d was kept", n)
		}
	}
	for n, got := range outcomes {
		want := ""
		switch {
		case n%10 == 3:
			want = "panic: three"
		case n%2 == 1:
			want = errOdd.Error()
		}
		if got != want {
			t.Errorf("write %d: %q, want %q", n, got, want)
		}
	}
}

func TestGroupedWriteAfterCloseFails(t *testing.T) {
	db, err := Open(OpenConfig{SQLitePath: filepath.Join(t.TempDir(), "amends.db")})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	err = db.inGroup(context.Background(), func(*gorm.DB) error { return nil })
	if !errors.Is(err, errGroupClosed) {
		t.Errorf("write after close: %v", err)
	}
}
