package database

import (
	"context"
	"errors"
	"fmt"
	"os"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// ErrBackupExists is returned when the backup's target file exists: a
// backup never overwrites anything.
var ErrBackupExists = errors.New("the backup file exists already")

// ErrBackupPostgres is returned for a PostgreSQL database, which pg_dump
// copies better than amends could.
var ErrBackupPostgres = errors.New("on PostgreSQL, back up with pg_dump")

// Backup writes a consistent copy of the SQLite database to path while it is
// in use. VACUUM INTO reads one snapshot, so writers carry on meanwhile. The
// copy is written under a temporary name, synced (SQLite does not sync it),
// checked, and only then linked to path, which fails if path exists, so an
// interrupted backup never leaves a half-written file under its final name.
func (d *DB) Backup(ctx context.Context, path string) error {
	if d.Postgres {
		return ErrBackupPostgres
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s: %w", path, ErrBackupExists)
	}
	tmp := path + ".partial"
	os.Remove(tmp)
	defer os.Remove(tmp)
	if err := d.W.WithContext(ctx).Exec("VACUUM INTO ?", tmp).Error; err != nil {
		return fmt.Errorf("copy the database to %s: %w", tmp, err)
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	if err := CheckIntegrity(ctx, tmp); err != nil {
		return err
	}
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s: %w", path, ErrBackupExists)
		}
		return fmt.Errorf("move the copy to %s: %w", path, err)
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return nil
}

// CheckIntegrity opens the SQLite file at path read-only and runs
// PRAGMA integrity_check, which reads every page.
func CheckIntegrity(ctx context.Context, path string) error {
	g, err := gorm.Open(sqlite.Open("file:"+path+"?mode=ro"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	if s, err := g.DB(); err == nil {
		defer s.Close()
	}
	var res []string
	if err := g.WithContext(ctx).Raw("PRAGMA integrity_check").Scan(&res).Error; err != nil {
		return fmt.Errorf("integrity check of %s: %w", path, err)
	}
	if len(res) != 1 || res[0] != "ok" {
		return fmt.Errorf("integrity check of %s failed: %v", path, res)
	}
	return nil
}
