package models_test

import (
	"github.com/amendsdev/amends/models/database"

	"errors"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/notify"
)

// TestMigration19OnExistingRows: the access columns are added to tables
// that already hold users, tokens and preferences, which keep working:
// no one disabled, no token expiring, generation 0.
func TestMigration19OnExistingRows(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		if err := notify.SavePref(ctx, f.Store, notify.Pref{Email: f.CustA.Email, Paused: true}); err != nil {
			t.Fatal(err)
		}
		for _, stmt := range []string{
			"ALTER TABLE users DROP COLUMN disabled_at",
			"ALTER TABLE api_tokens DROP COLUMN expires_at",
			"ALTER TABLE notification_prefs DROP COLUMN generation",
			"DELETE FROM schema_migrations WHERE version = 19",
		} {
			if err := db.W.Exec(stmt).Error; err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
		}
		if err := database.Migrate(ctx, db); err != nil {
			t.Fatalf("migrate: %v", err)
		}
		u, err := f.Store.UserByToken(ctx, f.Tokens[f.CustA.Email])
		if err != nil || u.Disabled() {
			t.Fatalf("a token from before the migration: %v, %v", u, err)
		}
		p, err := notify.GetPref(ctx, f.Store, f.CustA.Email)
		if err != nil || !p.Paused || p.Generation != 0 {
			t.Fatalf("preference %+v, %v", p, err)
		}
	})
}

// TestDisableEndsEveryCredential: in one transaction a disabled user loses
// its sessions, tokens and feed, and is refused at sign-in after the
// password check; enabling gives back the sign-in only.
func TestDisableEndsEveryCredential(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		s := f.Store
		cookie, _, err := s.CreateSession(ctx, f.CustA.ID)
		if err != nil {
			t.Fatal(err)
		}
		feed, err := s.NewFeedToken(ctx, f.CustA)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetDisabled(ctx, f.SRE, f.CustA.ID, true); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("an SRE disabled a user: %v", err)
		}
		u, err := s.SetDisabled(ctx, nil, f.CustA.ID, true)
		if err != nil || !u.Disabled() {
			t.Fatalf("disable: %v, %v", u, err)
		}
		if _, err := s.SessionByToken(ctx, cookie); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("session: %v", err)
		}
		if _, err := s.UserByToken(ctx, f.Tokens[f.CustA.Email]); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("token: %v", err)
		}
		if _, err := s.UserByFeedToken(ctx, feed); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("feed: %v", err)
		}
		if _, err := s.Authenticate(ctx, f.CustA.Email, testdb.Password); !errors.Is(err, models.ErrUserDisabled) {
			t.Errorf("sign-in with the password: %v", err)
		}
		if _, err := s.Authenticate(ctx, f.CustA.Email, "not the password"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("sign-in with a wrong password: %v", err)
		}
		var audit int64
		db.R.Model(&models.AuditEvent{}).Where("entity_type = ? AND entity_id = ? AND field = ?", models.EntityUser, f.CustA.ID, "disabled").Count(&audit)
		if audit != 1 {
			t.Errorf("%d audit events for the disabling", audit)
		}
		if _, err := s.SetDisabled(ctx, nil, f.CustA.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, f.CustA.Email, testdb.Password); err != nil {
			t.Errorf("sign-in after enabling: %v", err)
		}
		if _, err := s.UserByToken(ctx, f.Tokens[f.CustA.Email]); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("enabling gave the token back: %v", err)
		}
		until := s.Now().Add(time.Hour)
		if _, err := s.CreateTokenUntil(ctx, f.CustA.ID, "again", &until); err != nil {
			t.Errorf("a new token after enabling: %v", err)
		}
	})
}
