package models_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
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
	writeAsAnotherProcess(t, path, "UPDATE customers SET name = 'Acme Inc'")
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

func TestWriterQueueGivesUpWithItsContext(t *testing.T) {
	db := openSQLite(t, filepath.Join(t.TempDir(), "amends.db"))
	if err := models.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	tx := db.W.Begin()
	if tx.Error != nil {
		t.Fatal(tx.Error)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	err := db.W.WithContext(short).Exec("UPDATE customers SET name = name").Error
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a write queued behind a transaction: %v, want the context's deadline", err)
	}
	if err := tx.Commit().Error; err != nil {
		t.Fatal(err)
	}
	// The abandoned wait left no turn behind: writes go on.
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- db.W.Exec("UPDATE customers SET name = name").Error
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent write: %v", err)
		}
	}
}

// versions reads both versions of db, which must be SQLite.
func versions(t *testing.T, db *models.DB) (all, credentials int64) {
	t.Helper()
	all, ok := db.Version(ctx)
	credentials, cok := db.CredentialsVersion(ctx)
	if !ok || !cok {
		t.Fatal("SQLite has no version")
	}
	return all, credentials
}

// externalPoll is how often data_version is looked at (models.externalPoll).
// A look also sees this process's commits and then moves both versions.
const externalPoll = 100 * time.Millisecond

// quietVersions waits until a look at data_version is due and reads the
// versions, which takes it. Until the deadline returned, no other look
// comes: only this process's writes move the versions.
func quietVersions(t *testing.T, db *models.DB) (all, credentials int64, deadline time.Time) {
	t.Helper()
	time.Sleep(externalPoll)
	deadline = time.Now().Add(externalPoll)
	all, credentials = versions(t, db)
	return all, credentials, deadline
}

// skipIfLate skips a test whose writes outlasted the quiet time: a look at
// data_version may have moved the versions then.
func skipIfLate(t *testing.T, deadline time.Time) {
	t.Helper()
	if time.Now().After(deadline) {
		t.Skip("the writes took longer than externalPoll; the versions cannot be told apart")
	}
}

func TestCredentialsVersionMovesOnlyForCredentialWrites(t *testing.T) {
	db := testdb.SQLite(t)
	f := testdb.NewFixture(t, db)
	status := models.ItemPatch{Status: models.Some(models.StatusInProgress)}
	scenarios := []struct {
		name        string
		write       func() error
		credentials bool
	}{
		{"item updated", func() error {
			_, err := f.Store.UpdateItem(ctx, f.SRE, f.ProviderItemA.ID, status)
			return err
		}, false},
		{"comment added", func() error {
			_, err := f.Store.AddComment(ctx, f.SRE, f.ProviderItemA.ID, models.CommentInput{Body: "done"})
			return err
		}, false},
		{"token created", func() error {
			_, err := f.Store.CreateToken(ctx, f.SRE.ID, "ci")
			return err
		}, true},
		{"token revoked", func() error {
			return db.W.Model(&models.APIToken{}).Where("user_id = ?", f.SRE.ID).Update("revoked_at", time.Now()).Error
		}, true},
		{"user demoted by hand", func() error {
			return db.W.Exec("update USERS set role = 'viewer' where id = ?", f.Admin.ID).Error
		}, true},
		{"user moved to another customer", func() error {
			return db.W.Model(f.CustA).Update("customer_id", f.B.ID).Error
		}, true},
		{"session created", func() error {
			_, _, err := f.Store.CreateSession(ctx, f.SRE.ID)
			return err
		}, true},
		{"expired sessions deleted", func() error {
			_, err := f.Store.DeleteExpiredSessions(ctx)
			return err
		}, true},
		{"user deleted", func() error { return db.W.Delete(&models.User{}, f.Viewer.ID).Error }, true},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			v0, cv0, deadline := quietVersions(t, db)
			if err := sc.write(); err != nil {
				t.Fatal(err)
			}
			v1, cv1 := versions(t, db)
			skipIfLate(t, deadline)
			if v1 == v0 {
				t.Error("the write left the version unchanged")
			}
			if moved := cv1 != cv0; moved != sc.credentials {
				t.Errorf("credentials version went from %d to %d; want it moved: %v", cv0, cv1, sc.credentials)
			}
		})
	}
}

// A reader that looks between a credential write and its commit reads the
// old value: it must not be able to keep it under a version that follows.
func TestCredentialsVersionMovesAtCommit(t *testing.T) {
	db := testdb.SQLite(t)
	f := testdb.NewFixture(t, db)
	exec := func(sql string) func() error { return func() error { return db.W.Exec(sql).Error } }
	var tx *gorm.DB
	scenarios := []struct {
		name                 string
		begin, write, commit func() error
	}{
		{"BeginTx",
			func() error { tx = db.W.Begin(); return tx.Error },
			func() error {
				return tx.Model(&models.APIToken{}).Where("user_id = ?", f.SRE.ID).Update("revoked_at", time.Now()).Error
			},
			func() error { return tx.Commit().Error }},
		{"plain BEGIN", exec("BEGIN"), exec("DELETE FROM sessions"), exec("COMMIT")},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			_, cv0, deadline := quietVersions(t, db)
			if err := sc.begin(); err != nil {
				t.Fatal(err)
			}
			if err := sc.write(); err != nil {
				t.Fatal(err)
			}
			_, before := versions(t, db)
			if err := sc.commit(); err != nil {
				t.Fatal(err)
			}
			_, after := versions(t, db)
			skipIfLate(t, deadline)
			if before != cv0 {
				t.Errorf("credentials version moved from %d to %d before the commit", cv0, before)
			}
			if after == before {
				t.Error("the commit left the credentials version unchanged")
			}
		})
	}
}

func TestCredentialsVersionFollowsOtherWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "amends.db")
	db := openSQLite(t, path)
	if err := models.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if _, err := models.NewStore(db).CreateCustomer(ctx, models.CustomerInput{Name: "Acme", Slug: "acme"}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(150 * time.Millisecond)
	_, cv0 := versions(t, db)

	other := openSQLite(t, path)
	if err := other.W.Exec("DELETE FROM api_tokens").Error; err != nil {
		t.Fatal(err)
	}
	_, cv1 := versions(t, db)
	if cv1 == cv0 {
		t.Fatal("a credential write through another handle in this process left the credentials version unchanged")
	}

	// Another process may have written anything: even a write to customers
	// moves the credentials version.
	writeAsAnotherProcess(t, path, "UPDATE customers SET name = 'Acme Inc'")
	deadline := time.Now().Add(5 * time.Second)
	for _, cv := versions(t, db); cv == cv1; _, cv = versions(t, db) {
		if time.Now().After(deadline) {
			t.Fatal("a write by another process was never noticed")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestNoCredentialsVersionOnPostgres(t *testing.T) {
	db := testdb.Postgres(t)
	if _, ok := db.CredentialsVersion(ctx); ok {
		t.Fatal("PostgreSQL claims a credentials version, which nothing keeps")
	}
}

// writeAsAnotherProcess writes through a plain connection that amends does
// not count, as another process would.
func writeAsAnotherProcess(t *testing.T, path, query string) {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(query); err != nil {
		t.Fatal(err)
	}
}
