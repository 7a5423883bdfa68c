package database

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Frozen structs of migration 19. Never change them; add a new migration.

// m19User gains DisabledAt: a disabled user's sessions, tokens and feed
// end, and it cannot sign in, until enabled again.
type m19User struct {
	DisabledAt *time.Time
}

func (m19User) TableName() string { return "users" }

// m19APIToken gains ExpiresAt: nil never expires.
type m19APIToken struct {
	ExpiresAt *time.Time
}

func (m19APIToken) TableName() string { return "api_tokens" }

// m19NotificationPref gains Generation, signed into every unsubscribe
// link: moving it on (re-enabling mail, rotating links) voids the links
// sent before.
type m19NotificationPref struct {
	Generation int `gorm:"not null;default:0"`
}

func (m19NotificationPref) TableName() string { return "notification_prefs" }

func migrateAccess(tx *gorm.DB) error {
	m := tx.Migrator()
	for _, c := range []struct {
		model any
		field string
	}{{&m19User{}, "DisabledAt"}, {&m19APIToken{}, "ExpiresAt"}, {&m19NotificationPref{}, "Generation"}} {
		if err := m.AddColumn(c.model, c.field); err != nil {
			return fmt.Errorf("add %T.%s: %w", c.model, c.field, err)
		}
	}
	return nil
}
