package database

import "gorm.io/gorm"

// migrateFederatedUsers (30) lets a staff user be the person an OpenID
// Connect provider names: the issuer and its subject identify them, since
// an email address can change hands at the provider and a subject cannot.
// Both stay NULL for password users; NULLs are distinct in a unique index
// on SQLite and PostgreSQL alike, so only linked users are constrained.
// Plain SQL: its own frozen copy, on both databases.
func migrateFederatedUsers(tx *gorm.DB) error {
	return execAll(tx,
		`ALTER TABLE users ADD COLUMN oidc_issuer VARCHAR(500)`,
		`ALTER TABLE users ADD COLUMN oidc_subject VARCHAR(255)`,
		`CREATE UNIQUE INDEX idx_users_oidc_identity ON users (oidc_issuer, oidc_subject)`,
	)
}
