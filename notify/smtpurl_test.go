package notify_test

import (
	"strings"
	"testing"

	"github.com/amendsdev/amends/notify"
)

func TestNewSMTPNamesTheBadSetting(t *testing.T) {
	scenarios := []struct{ url, from, wantErr string }{
		{"smtp://relay.local", "amends@example.com", ""},
		{"smtp://user:pass@relay.local:587", "amends@example.com", ""},
		{"smtps://user:pass@mail.example.com", "amends@example.com", ""},
		{"http://relay.local", "amends@example.com", "AMENDS_SMTP_URL"},
		{"smtp://relay.local:notaport", "amends@example.com", "AMENDS_SMTP_URL"},
		{"smtp://relay.local", "", "AMENDS_MAIL_FROM"},
		{"smtp://relay.local", "not an address", "AMENDS_MAIL_FROM"},
	}
	for _, sc := range scenarios {
		_, err := notify.NewSMTP(notify.SMTPConfig{URL: sc.url, From: sc.from})
		if sc.wantErr == "" && err != nil || sc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), sc.wantErr)) {
			t.Errorf("%s from %q: %v, want error naming %q", sc.url, sc.from, err, sc.wantErr)
		}
	}
}
