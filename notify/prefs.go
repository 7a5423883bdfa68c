package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
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
	// Generation is signed into the address's unsubscribe links; it moves
	// on when emails are resumed or the links rotated, which voids every
	// link sent before.
	Generation int
	UpdatedAt  time.Time
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

// SavePref stores one address's preference. Resuming paused emails moves
// the generation on, so that unsubscribe links sent before stop working:
// one left in an old mailbox cannot pause them again.
func SavePref(ctx context.Context, store *models.Store, p Pref) error {
	p.Email, p.UpdatedAt = normEmail(p.Email), store.Now()
	if p.TimeZone != "" {
		if _, err := time.LoadLocation(p.TimeZone); err != nil {
			return &models.ValidationError{Fields: map[string]string{"time_zone": "unknown time zone"}}
		}
	}
	err := store.DB().W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var was Pref
		err := tx.First(&was, "email = ?", p.Email).Error
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		p.Generation = was.Generation
		if was.Paused && !p.Paused {
			p.Generation++
		}
		return tx.Save(&p).Error
	})
	if err != nil {
		return fmt.Errorf("save notification preference of %s: %w", p.Email, err)
	}
	return nil
}

// RotateUnsubscribe voids every unsubscribe link sent to the address so
// far; emails sent from now on carry new ones.
func RotateUnsubscribe(ctx context.Context, store *models.Store, email string) error {
	p := Pref{Email: normEmail(email), Generation: 1, UpdatedAt: store.Now()}
	err := store.DB().W.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "email"}},
		DoUpdates: clause.Assignments(map[string]any{"generation": gorm.Expr("notification_prefs.generation + 1"), "updated_at": p.UpdatedAt}),
	}).Create(&p).Error
	if err != nil {
		return fmt.Errorf("rotate the unsubscribe links of %s: %w", p.Email, err)
	}
	return nil
}

// secretSetting holds the key that signs unsubscribe links.
const secretSetting = "notify_secret"

// UnsubscribeTTL is how long an unsubscribe link works.
const UnsubscribeTTL = 60 * 24 * time.Hour

// Signer makes and checks unsubscribe tokens: the address, an expiry and
// the address's generation, with their MAC, so no token needs storing and
// a token works for that address only, until it expires or the
// generation moves on.
type Signer struct {
	key         []byte
	now         time.Time
	generations map[string]int // addresses whose generation is not 0
}

// NewSigner loads the signing key and the addresses' generations.
func NewSigner(ctx context.Context, store *models.Store) (*Signer, error) {
	k, err := store.SharedSecret(ctx, secretSetting)
	if err != nil {
		return nil, err
	}
	var moved []Pref
	if err := store.DB().R.WithContext(ctx).Select("email", "generation").Where("generation > 0").Find(&moved).Error; err != nil {
		return nil, fmt.Errorf("load unsubscribe generations: %w", err)
	}
	gens := make(map[string]int, len(moved))
	for _, p := range moved {
		gens[p.Email] = p.Generation
	}
	return &Signer{key: k, now: store.Now(), generations: gens}, nil
}

// Token is the unsubscribe token of an address.
func (s *Signer) Token(email string) string {
	e := normEmail(email)
	payload := fmt.Sprintf("%s.%d.%d", base64.RawURLEncoding.EncodeToString([]byte(e)),
		s.now.Add(UnsubscribeTTL).Unix(), s.generations[e])
	return payload + "." + base64.RawURLEncoding.EncodeToString(s.mac(payload))
}

// ErrBadToken is a token that was not made by this amends, has expired,
// or was voided by a later generation.
var ErrBadToken = errors.New("unsubscribe link is not valid")

// Check returns the address a live token was made for.
func (s *Signer) Check(token string) (string, error) {
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return "", ErrBadToken
	}
	payload := token[:i]
	mac, err := base64.RawURLEncoding.DecodeString(token[i+1:])
	if err != nil || !hmac.Equal(mac, s.mac(payload)) {
		return "", ErrBadToken
	}
	parts := strings.Split(payload, ".")
	if len(parts) != 3 {
		return "", ErrBadToken
	}
	email, err1 := base64.RawURLEncoding.DecodeString(parts[0])
	expires, err2 := strconv.ParseInt(parts[1], 10, 64)
	gen, err3 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || !s.now.Before(time.Unix(expires, 0)) || gen != s.generations[string(email)] {
		return "", ErrBadToken
	}
	return string(email), nil
}

func (s *Signer) mac(payload string) []byte {
	h := hmac.New(sha256.New, s.key)
	h.Write([]byte("unsubscribe:" + payload))
	return h.Sum(nil)
}
