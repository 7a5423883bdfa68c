package notify

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/amendsdev/amends/models"
)

// Pref is what one address wants: users and customer contacts alike.
type Pref struct {
	Email     string `gorm:"primaryKey"`
	Paused    bool
	DigestDay *int // a time.Weekday; nil follows the policy
	TimeZone  string
	UpdatedAt time.Time
}

// TableName is the table created by migration 10.
func (Pref) TableName() string { return "notification_prefs" }

func normEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// LoadPrefs reads every saved preference, by address.
func LoadPrefs(ctx context.Context, store *models.Store) (map[string]Pref, error) {
	var all []Pref
	if err := store.DB().R.WithContext(ctx).Find(&all).Error; err != nil {
		return nil, fmt.Errorf("load notification preferences: %w", err)
	}
	out := make(map[string]Pref, len(all))
	for _, p := range all {
		out[p.Email] = p
	}
	return out, nil
}

// GetPref reads one address's preference; one never saved is the default.
func GetPref(ctx context.Context, store *models.Store, email string) (Pref, error) {
	p := Pref{Email: normEmail(email)}
	err := store.DB().R.WithContext(ctx).First(&p, "email = ?", p.Email).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return p, fmt.Errorf("load notification preference of %s: %w", p.Email, err)
	}
	return p, nil
}

// SavePref stores one address's preference.
func SavePref(ctx context.Context, store *models.Store, p Pref) error {
	p.Email, p.UpdatedAt = normEmail(p.Email), store.Now()
	if p.TimeZone != "" {
		if _, err := time.LoadLocation(p.TimeZone); err != nil {
			return &models.ValidationError{Fields: map[string]string{"time_zone": "unknown time zone"}}
		}
	}
	if err := store.DB().W.WithContext(ctx).Save(&p).Error; err != nil {
		return fmt.Errorf("save notification preference of %s: %w", p.Email, err)
	}
	return nil
}

// secretSetting holds the key that signs unsubscribe links.
const secretSetting = "notify_secret"

// signingKey reads the key, creating it once; replicas racing to create it
// agree on whichever insert won.
func signingKey(ctx context.Context, store *models.Store) ([]byte, error) {
	var hexKey string
	if ok, err := store.LoadSetting(ctx, secretSetting, &hexKey); err != nil || ok {
		return []byte(hexKey), err
	}
	b := make([]byte, 32)
	rand.Read(b)
	st := models.Setting{Key: secretSetting, Value: `"` + hex.EncodeToString(b) + `"`, UpdatedAt: store.Now()}
	err := store.DB().W.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&st).Error
	if err != nil {
		return nil, fmt.Errorf("create the unsubscribe signing key: %w", err)
	}
	if _, err := store.LoadSetting(ctx, secretSetting, &hexKey); err != nil {
		return nil, err
	}
	return []byte(hexKey), nil
}

// Signer makes and checks unsubscribe tokens: the address and its MAC, so
// no token needs storing and a token works for that address only.
type Signer struct{ key []byte }

// NewSigner loads the signing key.
func NewSigner(ctx context.Context, store *models.Store) (*Signer, error) {
	k, err := signingKey(ctx, store)
	if err != nil {
		return nil, err
	}
	return &Signer{key: k}, nil
}

// Token is the unsubscribe token of an address.
func (s *Signer) Token(email string) string {
	e := normEmail(email)
	return base64.RawURLEncoding.EncodeToString([]byte(e)) + "." + base64.RawURLEncoding.EncodeToString(s.mac(e))
}

// ErrBadToken is a token that was not made by this amends.
var ErrBadToken = errors.New("unsubscribe link is not valid")

// Check returns the address a token was made for.
func (s *Signer) Check(token string) (string, error) {
	a, b, ok := strings.Cut(token, ".")
	email, err1 := base64.RawURLEncoding.DecodeString(a)
	mac, err2 := base64.RawURLEncoding.DecodeString(b)
	if !ok || err1 != nil || err2 != nil || !hmac.Equal(mac, s.mac(string(email))) {
		return "", ErrBadToken
	}
	return string(email), nil
}

func (s *Signer) mac(email string) []byte {
	h := hmac.New(sha256.New, s.key)
	h.Write([]byte("unsubscribe:" + email))
	return h.Sum(nil)
}
