package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
)

// UserInput adds a user.
type UserInput struct {
	Email         string
	Name          string
	Role          string
	CustomerSlug  string
	CustomerAdmin bool
	Password      string
	// PasswordHash, when set, is an argon2id hash used instead of Password,
	// for users imported with their existing credentials.
	PasswordHash string
}

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 12

// CreateUser adds a user; a customer user names its customer by slug.
func (s *Store) CreateUser(ctx context.Context, in UserInput) (*User, error) {
	u := User{Email: strings.ToLower(strings.TrimSpace(in.Email)), Name: strings.TrimSpace(in.Name),
		Role: in.Role, CustomerAdmin: in.CustomerAdmin, TimeZone: "UTC"}
	f := fieldErrors{}
	if !validEmail(u.Email) {
		f.add("email", "must be an email address")
	}
	f.required("name", u.Name, 200)
	f.oneOf("role", u.Role, Roles)
	if in.PasswordHash == "" && len(in.Password) < MinPasswordLen {
		f.add("password", fmt.Sprintf("must be at least %d characters", MinPasswordLen))
	}
	switch {
	case u.Role == RoleCustomer && in.CustomerSlug == "":
		f.add("customer", "is required for a customer user")
	case u.Role != RoleCustomer && in.CustomerSlug != "":
		f.add("customer", "only customer users belong to a customer")
	}
	if in.CustomerSlug != "" {
		c, err := s.CustomerBySlug(ctx, in.CustomerSlug)
		if err != nil {
			f.add("customer", fmt.Sprintf("unknown customer %q", in.CustomerSlug))
		} else {
			u.CustomerID = &c.ID
		}
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	u.PasswordHash = in.PasswordHash
	if u.PasswordHash == "" {
		var err error
		if herr := s.hashing.run(ctx, func() { u.PasswordHash, err = HashPassword(in.Password) }); herr != nil {
			return nil, herr
		}
		if err != nil {
			return nil, err
		}
	}
	if err := s.db.W.WithContext(ctx).Create(&u).Error; err != nil {
		return nil, conflictOnDuplicate(err, "email", fmt.Sprintf("a user with email %s already exists", u.Email))
	}
	return &u, nil
}

// UserByEmail loads a user by email.
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	var u User
	err := s.db.R.WithContext(ctx).Where("email = ?", strings.ToLower(strings.TrimSpace(email))).First(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("user %s: %w", email, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("load user %s: %w", email, err)
	}
	return &u, nil
}

// Authenticate checks an email and password. An unknown email costs as much
// time as a wrong password, so responses do not reveal which users exist;
// only the right password learns that the account is disabled.
func (s *Store) Authenticate(ctx context.Context, email, password string) (*User, error) {
	u, err := s.UserByEmail(ctx, email)
	hash := ""
	switch {
	case errors.Is(err, ErrNotFound):
		// An unknown email costs the same hash, so timing does not tell.
		hash, u = dummyHash(), nil
	case err != nil:
		return nil, err
	case u.PasswordHash == "":
		// Signs in through the identity provider only: no password
		// works, and it costs the same time as a wrong one.
		hash = dummyHash()
	default:
		hash = u.PasswordHash
	}
	ok := false
	if err := s.hashing.run(ctx, func() { ok = CheckPassword(hash, password) }); err != nil {
		return nil, err
	}
	if !ok || u == nil || u.PasswordHash == "" {
		return nil, ErrNotFound
	}
	if u.Disabled() {
		return nil, ErrUserDisabled
	}
	if needsRehash(u.PasswordHash) {
		if err := s.rehash(ctx, u, password); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// rehash replaces a user's hash made with older parameters by one made
// with the current ones, now that the password is at hand; a change of
// password meanwhile is left alone.
func (s *Store) rehash(ctx context.Context, u *User, password string) error {
	var hash string
	var err error
	if herr := s.hashing.run(ctx, func() { hash, err = HashPassword(password) }); herr != nil {
		return herr
	}
	if err != nil {
		return err
	}
	res := s.db.W.WithContext(ctx).Model(&User{}).Where("id = ? AND password_hash = ?", u.ID, u.PasswordHash).
		Update("password_hash", hash)
	if res.Error != nil {
		return fmt.Errorf("rehash the password of user %d: %w", u.ID, res.Error)
	}
	u.PasswordHash = hash
	return nil
}

// dummyHash is made at the first sign-in with an unknown email, not at
// start: hashing takes 64 MB, which every command would otherwise carry.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("amends-dummy-password")
	return h
})

// tokenPrefix marks amends tokens so that secret scanners can find them.
const tokenPrefix = "amd_"

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateToken makes a new API token for a user that never expires; see
// CreateTokenUntil.
func (s *Store) CreateToken(ctx context.Context, userID uint, name string) (string, error) {
	return s.CreateTokenUntil(ctx, userID, name, nil)
}

// CreateTokenUntil makes a new API token for a user, working until expires
// (nil: until revoked), and returns it in clear, the only time it is ever
// shown; only its SHA-256 is stored. A disabled user gets none.
func (s *Store) CreateTokenUntil(ctx context.Context, userID uint, name string, expires *time.Time) (string, error) {
	if expires != nil && !expires.After(s.Now()) {
		return "", &ValidationError{Fields: map[string]string{"expires": "must be in the future"}}
	}
	var u User
	if err := s.db.R.WithContext(ctx).First(&u, userID).Error; err != nil {
		return "", notFound(err, "user", userID)
	}
	if u.Disabled() {
		return "", &RuleError{Code: "user_disabled", Message: fmt.Sprintf("user %s is disabled: enable it first", u.Email)}
	}
	token := tokenPrefix + RandomSecret(32)
	t := APIToken{UserID: userID, Name: name, Hash: hashToken(token), ExpiresAt: expires, CreatedAt: s.Now()}
	if err := s.db.W.WithContext(ctx).Create(&t).Error; err != nil {
		return "", fmt.Errorf("create token for user %d: %w", userID, err)
	}
	return token, nil
}

// UserByToken resolves a bearer token to its user.
func (s *Store) UserByToken(ctx context.Context, token string) (*User, error) {
	t, err := s.TokenBySecret(ctx, token)
	if err != nil {
		return nil, err
	}
	return &t.User, nil
}

// TokenBySecret resolves a bearer token to the live token and its user:
// not revoked, not expired, and its user not disabled.
func (s *Store) TokenBySecret(ctx context.Context, token string) (*APIToken, error) {
	var t APIToken
	// One query for the token and its user, found by its unique hash
	// (Take: First would sort by id for nothing): every API request runs
	// it.
	err := s.db.R.WithContext(ctx).Joins("User").
		Where("api_tokens.hash = ? AND api_tokens.revoked_at IS NULL", hashToken(token)).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("look up token: %w", err)
	}
	if !t.Live(s.Now()) {
		return nil, ErrNotFound
	}
	s.touchToken(ctx, &t)
	return &t, nil
}

// tokenTouch is how often use of a token is recorded.
const tokenTouch = 5 * time.Minute

// touchToken records use at most once every few minutes, so that reads do
// not turn into writes.
func (s *Store) touchToken(ctx context.Context, t *APIToken) {
	now := s.Now()
	if t.LastUsedAt != nil && now.Sub(*t.LastUsedAt) < tokenTouch {
		return
	}
	// Bookkeeping only: a failed write here must not refuse the request.
	if s.db.W.WithContext(ctx).Model(&APIToken{}).Where("id = ?", t.ID).Update("last_used_at", now).Error == nil {
		t.LastUsedAt = &now
	}
}

// StaffLeads lists the admins and SREs, who prepare and send reviews.
func (s *Store) StaffLeads(ctx context.Context) ([]User, error) {
	var out []User
	if err := s.db.R.WithContext(ctx).Where("role IN ? AND disabled_at IS NULL", []string{RoleAdmin, RoleSRE}).Order("email").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list staff leads: %w", err)
	}
	return out, nil
}

// SetPassword gives a user a new password and ends its sessions, so that
// whoever held the old one is signed out. Used by the command line (the
// demo's fresh sign-in), never by a request.
func (s *Store) SetPassword(ctx context.Context, userID uint, password string) error {
	if len(password) < MinPasswordLen {
		return &ValidationError{Fields: map[string]string{"password": fmt.Sprintf("must be at least %d characters", MinPasswordLen)}}
	}
	var hash string
	var err error
	if herr := s.hashing.run(ctx, func() { hash, err = HashPassword(password) }); herr != nil {
		return herr
	}
	if err != nil {
		return err
	}
	return s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&User{}).Where("id = ?", userID).Updates(map[string]any{"password_hash": hash, "updated_at": s.Now()})
		if res.Error != nil {
			return fmt.Errorf("set the password of user %d: %w", userID, res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("user %d: %w", userID, ErrNotFound)
		}
		if err := tx.Where("user_id = ?", userID).Delete(&Session{}).Error; err != nil {
			return fmt.Errorf("end the sessions of user %d: %w", userID, err)
		}
		return nil
	})
}
