package models

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/amendsdev/amends/subscribe/egress"
)

// Store is the one entry point to the data. Every read takes the acting
// user and applies the access policy, so a query cannot forget to scope.
type Store struct {
	db  *database.DB
	now func() time.Time
	// egress says which addresses webhook URLs may point at.
	egress *egress.Guard
	// hashing bounds the argon2id hashes running at once.
	hashing hashSlots
	// counts lets concurrent start pages share one count of open items.
	counts *sharedCount
}

// NewStore wraps an open database. Webhooks may reach public addresses
// only, until SetEgress allows more.
func NewStore(db *database.DB) *Store {
	return &Store{db: db, now: func() time.Time { return time.Now().UTC() }, egress: egress.New(nil),
		hashing: newHashSlots(), counts: &sharedCount{}}
}

// SetEgress sets the guard of webhook URLs: the operator's allowed private
// ranges (AMENDS_WEBHOOK_ALLOW_CIDRS), or a test's resolver.
func (s *Store) SetEgress(g *egress.Guard) { s.egress = g }

// Egress is the guard of webhook URLs, which the sender dials through too.
func (s *Store) Egress() *egress.Guard { return s.egress }

// SetClock replaces the store's clock, for tests and reports at fixed times.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// DB exposes the pools to packages that own their own tables.
func (s *Store) DB() *database.DB { return s.db }

// Now is the store's current time in UTC, truncated to microseconds as the
// databases store it.
func (s *Store) Now() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Today is the current date in UTC.
func (s *Store) Today() Date { return DateOf(s.Now()) }

// notFound turns gorm's record-not-found into ErrNotFound with context.
func notFound(err error, what string, id uint) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("%s %d: %w", what, id, ErrNotFound)
	}
	return fmt.Errorf("load %s %d: %w", what, id, err)
}

// conflictOnDuplicate turns a unique violation into a ConflictError.
func conflictOnDuplicate(err error, field, msg string) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return &ConflictError{Field: field, Message: msg}
	}
	return err
}

// IsEmpty reports whether the database holds no users and no customers.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	var n int64
	for _, m := range []any{&User{}, &Customer{}} {
		if err := s.db.R.WithContext(ctx).Model(m).Limit(1).Count(&n).Error; err != nil {
			return false, fmt.Errorf("check for data: %w", err)
		}
		if n > 0 {
			return false, nil
		}
	}
	return true, nil
}
