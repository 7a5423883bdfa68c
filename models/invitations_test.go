package models_test

import (
	"github.com/amendsdev/amends/models/database"

	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

func TestInvitationsAreRandomHashedExpiringAndSingleUse(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		s := f.Store
		now := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })

		t1, inv, err := s.Invite(ctx, f.CustAdminA, " New@Acme.example ")
		if err != nil {
			t.Fatal(err)
		}
		t2, _, err := s.Invite(ctx, f.CustAdminA, "other@acme.example")
		if err != nil {
			t.Fatal(err)
		}
		if t1 == t2 || len(t1) < 43 {
			t.Errorf("tokens %q and %q: want distinct 32-byte random tokens", t1, t2)
		}
		var stored []string
		if err := db.R.Table("invitations").Pluck("token_hash", &stored).Error; err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(t1))
		if !strings.Contains(strings.Join(stored, " "), hex.EncodeToString(sum[:])) || strings.Contains(strings.Join(stored, " "), t1) {
			t.Errorf("stored %v: want the SHA-256 of the token, never the token", stored)
		}
		if inv.Email != "new@acme.example" || !inv.ExpiresAt.Equal(now.Add(models.InvitationTTL)) {
			t.Errorf("invitation %+v", inv)
		}

		scenarios := []struct {
			name  string
			actor *models.User
			email string
			want  error
		}{
			{"a member", f.CustA, "x@acme.example", models.ErrNotFound},
			{"staff", f.Admin, "x@acme.example", models.ErrNotFound},
			{"an existing user", f.CustAdminA, f.CustA.Email, &models.ConflictError{}},
			{"not an email", f.CustAdminA, "nobody", &models.ValidationError{}},
		}
		for _, sc := range scenarios {
			_, _, err := s.Invite(ctx, sc.actor, sc.email)
			if err == nil || (errors.Is(sc.want, models.ErrNotFound) && !errors.Is(err, models.ErrNotFound)) {
				t.Errorf("%s: %v, want %T", sc.name, err, sc.want)
			}
		}

		if _, err := s.AcceptInvitation(ctx, t1, "Nina New", "short"); err == nil {
			t.Error("a short password was accepted")
		}
		u, err := s.AcceptInvitation(ctx, t1, "Nina New", "a long enough password")
		if err != nil {
			t.Fatal(err)
		}
		if u.Role != models.RoleCustomer || *u.CustomerID != f.A.ID || u.CustomerAdmin || u.Email != "new@acme.example" {
			t.Errorf("new user %+v", u)
		}
		if _, err := s.Authenticate(ctx, "new@acme.example", "a long enough password"); err != nil {
			t.Errorf("the new user cannot sign in: %v", err)
		}
		if _, err := s.AcceptInvitation(ctx, t1, "Again", "a long enough password"); !errors.Is(err, models.ErrInvitationSpent) {
			t.Errorf("a used invitation: %v", err)
		}

		now = now.Add(models.InvitationTTL)
		if _, err := s.AcceptInvitation(ctx, t2, "Late", "a long enough password"); !errors.Is(err, models.ErrInvitationSpent) {
			t.Errorf("an expired invitation: %v", err)
		}
		if _, err := s.AcceptInvitation(ctx, "forged", "Nobody", "a long enough password"); !errors.Is(err, models.ErrInvitationSpent) {
			t.Errorf("a forged token: %v", err)
		}
	})
}

func TestRevokedInvitationCannotBeUsed(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		s := f.Store
		token, inv, err := s.Invite(ctx, f.CustAdminA, "new@acme.example")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeInvitation(ctx, f.CustB, inv.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("another organisation revoking: %v", err)
		}
		if err := s.RevokeInvitation(ctx, f.CustAdminA, inv.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AcceptInvitation(ctx, token, "Nina", "a long enough password"); !errors.Is(err, models.ErrInvitationSpent) {
			t.Errorf("a revoked invitation: %v", err)
		}
		pending, err := s.PendingInvitations(ctx, f.CustAdminA)
		if err != nil || len(pending) != 0 {
			t.Errorf("pending after revoking: %v, %v", pending, err)
		}
	})
}

func TestCustomerAdminSetsContactsWithAnAuditEvent(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		s := f.Store
		if _, err := s.SetContacts(ctx, f.CustA, []string{"a@acme.example"}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("a member setting contacts: %v", err)
		}
		var invalid *models.ValidationError
		if _, err := s.SetContacts(ctx, f.CustAdminA, []string{"not an email"}); !errors.As(err, &invalid) {
			t.Errorf("a bad address: %v", err)
		}
		c, err := s.SetContacts(ctx, f.CustAdminA, []string{"Lead@Acme.example", "", "lead@acme.example", "ops@acme.example"})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(c.Contacts, ",") != "lead@acme.example,ops@acme.example" {
			t.Errorf("contacts %v", c.Contacts)
		}
		var ev models.AuditEvent
		if err := db.R.Where("entity_type = ? AND entity_id = ?", models.EntityCustomer, f.A.ID).Last(&ev).Error; err != nil {
			t.Fatal(err)
		}
		if ev.Actor != f.CustAdminA.Email || ev.OldValue != "ops@acme.example" || ev.NewValue != "lead@acme.example, ops@acme.example" {
			t.Errorf("audit event %+v", ev)
		}
	})
}

// TestInvitationAndItsEmailCommitTogether: when the email cannot be
// queued, no invitation is left behind.
func TestInvitationAndItsEmailCommitTogether(t *testing.T) {
	f := testdb.NewFixture(t, testdb.SQLite(t))
	boom := errors.New("outbox down")
	_, _, err := f.Store.InviteWith(ctx, f.CustAdminA, "new@acme.example", func(*gorm.DB, *models.Invitation, string) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
	if pending, err := f.Store.PendingInvitations(ctx, f.CustAdminA); err != nil || len(pending) != 0 {
		t.Errorf("pending %v, %v", pending, err)
	}
}

// TestInvitationIsSpentOnceUnderRace: of several simultaneous accepts of
// one link, exactly one creates a user.
func TestInvitationIsSpentOnceUnderRace(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		token, _, err := f.Store.Invite(ctx, f.CustAdminA, "race@acme.example")
		if err != nil {
			t.Fatal(err)
		}
		const n = 4
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			go func() {
				_, err := f.Store.AcceptInvitation(ctx, token, "Racer", "a long enough password")
				errs <- err
			}()
		}
		won := 0
		for i := 0; i < n; i++ {
			err := <-errs
			var conflict *models.ConflictError
			switch {
			case err == nil:
				won++
			case errors.Is(err, models.ErrInvitationSpent), errors.As(err, &conflict):
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if won != 1 {
			t.Errorf("%d accepts won, want 1", won)
		}
	})
}
