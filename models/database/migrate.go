package database

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// migration is one versioned step of the schema. Each step carries its own
// frozen copies of the structs as they were, never the live models, so that
// later changes to the models cannot change what an old step does.
type migration struct {
	version int
	name    string
	up      func(tx *gorm.DB) error
}

// migrations lists every step in order; append, never edit.
var migrations = []migration{
	{1, "initial schema", migrateInitial},
	{4, "web sessions", migrateSessions},
	{2, "github sync", migrateGitHubSync},
	{3, "reports", migrateReports},
	{5, "issued reviews", migrateIssuedReviews},
	{6, "portal: joint sections, sign-offs, follow-ups", migratePortal},
	{7, "review drafts", migrateReviewDrafts},
	{9, "settings", migrateSettings},
	{10, "mail outbox and reminders", migrateMailOutbox},
	{11, "invitations, feeds, subscriptions, webhooks", migrateSubscriptions},
	{12, "start page indexes", migrateAttentionIndexes},
	{13, "drop the audit index that another covers", migrateDropAuditPMIndex},
	{14, "assignee index without status", migrateAssigneeIndex},
	{15, "customer index without status", migrateCustomerIndex},
	{16, "status indexes a status change does not rewrite", migrateStatusIndexes},
	{17, "open-item indexes not led by status", migrateOpenIndexesByPostmortem},
	{18, "action items by due date", migrateDueDateIndex},
	{19, "taking access back: disabled users, token expiry, unsubscribe generations", migrateAccess},
	{27, "issued review revisions; SLO calendar windows", migrateReviewRevisions},
	{30, "users signed in through an OpenID Connect provider", migrateFederatedUsers},
	{28, "public page: public postmortems newest first", migratePublicIndex},
	{32, "archived action items and comments", migrateArchive},
	{29, "SLIs of SLOs; measured impacts", migrateSLIs},
	{31, "admin pages: last sign-in, staff invitations, customer-admin invitations", migrateAdminPages},
}

// init refuses two steps with one version: the second would never run.
func init() {
	seen := map[int]string{}
	for _, m := range migrations {
		if other, dup := seen[m.version]; dup {
			panic(fmt.Sprintf("migrations %q and %q share version %d", other, m.name, m.version))
		}
		seen[m.version] = m.name
	}
}

type schemaMigration struct {
	Version   int       `gorm:"primaryKey;autoIncrement:false"`
	Name      string    `gorm:"size:200;not null"`
	AppliedAt time.Time `gorm:"not null"`
}

// execAll runs a migration's SQL statements in order, naming the one that
// fails. Plain SQL is its own frozen copy, and runs the same on SQLite and
// PostgreSQL.
func execAll(tx *gorm.DB, stmts ...string) error {
	for _, stmt := range stmts {
		if err := tx.Exec(stmt).Error; err != nil {
			return fmt.Errorf("%s: %w", stmt, err)
		}
	}
	return nil
}

func (schemaMigration) TableName() string { return "schema_migrations" }

// migrationLockID is the PostgreSQL advisory lock key held while migrating,
// so that replicas starting together migrate once.
const migrationLockID = 0x616d656e6473 // "amends"

// Migrate brings the schema up to date in one transaction.
func Migrate(ctx context.Context, db *DB) error {
	return db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if db.Postgres {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", migrationLockID).Error; err != nil {
				return fmt.Errorf("take migration lock: %w", err)
			}
		}
		if err := tx.Migrator().AutoMigrate(&schemaMigration{}); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		done, err := appliedVersions(tx)
		if err != nil {
			return err
		}
		for _, m := range sortedMigrations() {
			if done[m.version] {
				continue
			}
			if err := m.up(tx); err != nil {
				return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
			}
			rec := schemaMigration{Version: m.version, Name: m.name, AppliedAt: time.Now().UTC()}
			if err := tx.Create(&rec).Error; err != nil {
				return fmt.Errorf("record migration %d: %w", m.version, err)
			}
		}
		return nil
	})
}

// SchemaVersion is the latest version this binary knows.
func SchemaVersion() int {
	all := sortedMigrations()
	return all[len(all)-1].version
}

// MigrationVersions lists the versions of every migration, in order.
func MigrationVersions() []int {
	var out []int
	for _, m := range sortedMigrations() {
		out = append(out, m.version)
	}
	return out
}

// sortedMigrations orders the steps by version, whatever order they were
// appended in.
func sortedMigrations() []migration {
	all := slices.Clone(migrations)
	slices.SortFunc(all, func(a, b migration) int { return a.version - b.version })
	return all
}

// CheckSchema refuses to run against a schema that is behind this binary.
func CheckSchema(ctx context.Context, db *DB) error {
	if !db.R.Migrator().HasTable(&schemaMigration{}) {
		return fmt.Errorf("database has no schema: run `amends migrate`")
	}
	var latest int
	if err := db.R.WithContext(ctx).Model(&schemaMigration{}).Select("COALESCE(MAX(version), 0)").Scan(&latest).Error; err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if latest < SchemaVersion() {
		return fmt.Errorf("database schema is at version %d, this binary needs %d: run `amends migrate`", latest, SchemaVersion())
	}
	var applied int64
	if err := db.R.WithContext(ctx).Model(&schemaMigration{}).Count(&applied).Error; err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if int(applied) < len(migrations) {
		return fmt.Errorf("database schema misses %d migrations: run `amends migrate`", len(migrations)-int(applied))
	}
	return nil
}

func appliedVersions(tx *gorm.DB) (map[int]bool, error) {
	var versions []int
	if err := tx.Model(&schemaMigration{}).Pluck("version", &versions).Error; err != nil {
		return nil, fmt.Errorf("read applied migrations: %w", err)
	}
	done := make(map[int]bool, len(versions))
	for _, v := range versions {
		done[v] = true
	}
	return done, nil
}
