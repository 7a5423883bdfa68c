package models

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters of new hashes: OWASP's first recommended set
// (19 MiB, 2 passes, one lane). RFC 9106's 64 MiB set, used before, made
// each concurrent sign-in hold 64 MiB, and a flood of them hundreds of
// megabytes; a hash's parameters are stored in it, so older hashes still
// verify, and are replaced at their user's next sign-in (needsRehash).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// hashSlots bounds how many argon2id hashes the store runs at once, one
// per CPU: each takes 19 MiB (64 MiB for older hashes) and tens of
// milliseconds of a core, so a
// flood of sign-ins would otherwise take every core and hundreds of
// megabytes from the rest of the service. A request waits for a slot with
// its context, and gives up when its client does.
type hashSlots chan struct{}

// The CPUs are GOMAXPROCS's count, which follows a container's CPU quota
// (Go 1.25 and later) where NumCPU would count the host's.
func newHashSlots() hashSlots { return make(hashSlots, runtime.GOMAXPROCS(0)) }

// run runs fn, an argon2id hash, once a slot is free.
func (h hashSlots) run(ctx context.Context, fn func()) error {
	select {
	case h <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-h }()
	fn()
	return nil
}

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches the hash, in constant time.
func CheckPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// needsRehash reports whether a hash was made with other parameters than
// new hashes are.
func needsRehash(hash string) bool {
	return !strings.HasPrefix(hash, fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$", argon2.Version, argonMemory, argonTime, argonThreads))
}

// RandomSecret returns n random bytes, URL-safe base64 encoded.
func RandomSecret(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
