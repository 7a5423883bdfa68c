package models

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
)

// Hashing waits for a free slot, and gives up with the request's context:
// a login flood queues here instead of running 64 MiB hashes on every
// core at once.
func TestPasswordHashingWaitsForASlot(t *testing.T) {
	h := hashSlots(make(chan struct{}, 2))
	ran := 0
	h <- struct{}{}
	h <- struct{}{} // both slots busy
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := h.run(ctx, func() { ran++ }); !errors.Is(err, context.DeadlineExceeded) || ran != 0 {
		t.Fatalf("with every slot busy: err %v, ran %d times; want the context's error and no hash", err, ran)
	}
	<-h // one slot frees up
	if err := h.run(context.Background(), func() { ran++ }); err != nil || ran != 1 {
		t.Fatalf("with a slot free: err %v, ran %d", err, ran)
	}
	if len(h) != 1 {
		t.Errorf("the slot was not given back: %d busy", len(h))
	}
	if cap(newHashSlots()) < 1 {
		t.Error("no slot at all")
	}
}

// A hash made with older, costlier parameters still verifies, and is
// replaced by one with the current parameters at the next sign-in.
func TestOlderHashesVerifyAndAreReplacedAtSignIn(t *testing.T) {
	old := oldHash(t, "a long enough password")
	if !CheckPassword(old, "a long enough password") || !needsRehash(old) {
		t.Fatalf("an RFC 9106 hash: verifies %v, needs rehash %v", CheckPassword(old, "a long enough password"), needsRehash(old))
	}
	fresh, err := HashPassword("x")
	if err != nil || needsRehash(fresh) {
		t.Fatalf("a new hash needs rehashing: %v", err)
	}
}

// oldHash is a hash with the parameters amends used before (64 MiB, three
// passes, two lanes).
func oldHash(t *testing.T, pw string) string {
	t.Helper()
	salt := []byte("0123456789abcdef")
	key := argon2.IDKey([]byte(pw), salt, 3, 64*1024, 2, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, 64*1024, 3, 2, b64.EncodeToString(salt), b64.EncodeToString(key))
}
