package models_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

// A user whose hash was made with the older 64 MiB parameters signs in,
// and from then on has a hash with the current ones.
func TestSignInReplacesAnOlderHash(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		store := models.NewStore(db)
		const pw = "a long enough password"
		salt := []byte("0123456789abcdef")
		b64 := base64.RawStdEncoding
		old := fmt.Sprintf("$argon2id$v=%d$m=65536,t=3,p=2$%s$%s", argon2.Version, b64.EncodeToString(salt),
			b64.EncodeToString(argon2.IDKey([]byte(pw), salt, 3, 64*1024, 2, 32)))
		if _, err := store.CreateUser(ctx, models.UserInput{Email: "old@example.com", Name: "Old", Role: models.RoleSRE, PasswordHash: old}); err != nil {
			t.Fatal(err)
		}
		if _, err := store.Authenticate(ctx, "old@example.com", "wrong password"); err == nil {
			t.Fatal("a wrong password signed in")
		}
		if u, _ := store.UserByEmail(ctx, "old@example.com"); u.PasswordHash != old {
			t.Fatal("a failed sign-in changed the hash")
		}
		if _, err := store.Authenticate(ctx, "old@example.com", pw); err != nil {
			t.Fatalf("sign-in with an older hash: %v", err)
		}
		u, err := store.UserByEmail(ctx, "old@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(u.PasswordHash, "$m=19456,t=2,p=1$") || !models.CheckPassword(u.PasswordHash, pw) {
			t.Errorf("hash after sign-in: %q", u.PasswordHash)
		}
		if _, err := store.Authenticate(ctx, "old@example.com", pw); err != nil {
			t.Errorf("sign-in with the new hash: %v", err)
		}
	})
}
