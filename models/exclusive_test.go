package models_test

import (
	"context"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

func TestRunExclusive(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		s := models.NewStore(db)
		ctx := context.Background()
		var inner bool
		ran, err := s.RunExclusive(ctx, 42, func() error {
			var err error
			inner, err = s.RunExclusive(ctx, 42, func() error { return nil })
			return err
		})
		if err != nil || !ran {
			t.Fatalf("outer: ran %v, %v", ran, err)
		}
		// On PostgreSQL the second taker (another connection, as another
		// replica would be) is refused while the first holds the lock.
		if inner != !db.Postgres {
			t.Errorf("inner ran %v on postgres=%v", inner, db.Postgres)
		}
		if again, err := s.RunExclusive(ctx, 42, func() error { return nil }); err != nil || !again {
			t.Errorf("after release: ran %v, %v", again, err)
		}
	})
}
