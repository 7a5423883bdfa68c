package sso

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// FlowTTL is how long a person has at the provider between starting a
// sign-in and coming back.
const FlowTTL = 10 * time.Minute

// flow is what a sign-in must remember between its start and the
// callback. It travels in a cookie of the browser that started it,
// sealed (AES-GCM: nobody can read or change it), so that no replica
// needs to store anything for an anonymous visitor, and the callback
// works on whichever replica it lands on.
type flow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"r,omitempty"`
	Expires  int64  `json:"e"`
}

var errBadFlow = errors.New("the sign-in cookie is missing, altered or expired")

// sealer seals flows with a key derived from the shared secret, kept
// apart from any other use of that secret.
type sealer struct{ aead cipher.AEAD }

func newSealer(secret []byte) (*sealer, error) {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("amends oidc flow cookie v1"))
	block, err := aes.NewCipher(m.Sum(nil))
	if err != nil {
		return nil, fmt.Errorf("flow cookie cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("flow cookie cipher: %w", err)
	}
	return &sealer{aead: aead}, nil
}

func (s *sealer) seal(f flow) (string, error) {
	plain, err := json.Marshal(f)
	if err != nil {
		return "", fmt.Errorf("encode the sign-in flow: %w", err)
	}
	nonce := make([]byte, s.aead.NonceSize())
	rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, plain, nil)), nil
}

// open returns the flow a cookie holds, if this amends sealed it and it
// has not expired at now.
func (s *sealer) open(cookie string, now time.Time) (flow, error) {
	var f flow
	raw, err := base64.RawURLEncoding.DecodeString(cookie)
	if err != nil || len(raw) < s.aead.NonceSize() {
		return f, errBadFlow
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], nil)
	if err != nil || json.Unmarshal(plain, &f) != nil || f.State == "" || !now.Before(time.Unix(f.Expires, 0)) {
		return flow{}, errBadFlow
	}
	return f, nil
}

// randomString is 32 random bytes, URL-safe.
func randomString() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
