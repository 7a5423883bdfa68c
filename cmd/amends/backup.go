package main

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"errors"
	"flag"
	"fmt"
	"os"
)

// cmdBackup writes a consistent copy of the SQLite database while serve
// keeps running. PostgreSQL is refused with a pointer to pg_dump.
func cmdBackup(ctx context.Context, cfg *config, args []string, std stdio) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	cfg.dbFlags(fs)
	to := fs.String("to", "", "file to write the copy to; it must not exist (required)")
	if err := parse(fs, args, std); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("backup: --to is required")
	}
	if cfg.DatabaseURL != "" {
		return fmt.Errorf("backup: %w, for example: pg_dump --format=custom --file=amends.dump \"$AMENDS_DATABASE_URL\" (see docs/operations.md)", database.ErrBackupPostgres)
	}
	if _, err := os.Stat(cfg.DB); err != nil {
		return fmt.Errorf("backup: database %s: %w", cfg.DB, err)
	}
	db, err := database.Open(database.OpenConfig{SQLitePath: cfg.DB})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, *to); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	st, err := os.Stat(*to)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(std.err, "amends: backed up %s to %s (%d bytes, integrity ok)\n", cfg.DB, *to, st.Size())
	return nil
}
