package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/notify"
)

// TestUnsubscribeLinksExpireAndRotate is the attack "unsubscribe links
// never expire": a link works until it is UnsubscribeTTL old, and stops
// as soon as the address resumes its emails or voids its links.
func TestUnsubscribeLinksExpireAndRotate(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		now := time.Now().UTC()
		e.f.Store.SetClock(func() time.Time { return now })
		email := e.f.CustA.Email
		link := func() string {
			t.Helper()
			signer, err := notify.NewSigner(t.Context(), e.f.Store)
			if err != nil {
				t.Fatal(err)
			}
			return "/notifications/unsubscribe?token=" + url.QueryEscape(signer.Token(email))
		}
		works := func(step, l string, want bool) {
			t.Helper()
			r := e.page("GET", l, "", nil)
			if (r.Status == 200) != want || (want && !strings.Contains(string(r.Body), email)) {
				t.Errorf("%s: the link answers %d, want working %v", step, r.Status, want)
			}
		}

		first := link()
		works("fresh", first, true)
		if r := e.page("POST", first, "", nil); r.Status != 200 {
			t.Fatalf("one-click unsubscribe: %d", r.Status)
		}
		if p, _ := notify.GetPref(t.Context(), e.f.Store, email); !p.Paused {
			t.Fatal("the link did not pause the emails")
		}
		works("after pausing", first, true)

		if r := e.page("POST", "/settings/notifications", email, url.Values{"time_zone": {"UTC"}}); r.Status != 303 {
			t.Fatalf("resume: %d", r.Status)
		}
		works("after resuming", first, false)
		if r := e.page("POST", first, "", nil); r.Status != 404 {
			t.Errorf("an old link paused the resumed emails again: %d", r.Status)
		}
		second := link()
		works("sent after resuming", second, true)

		if r := e.page("POST", "/settings/notifications/rotate", email, nil); r.Status != 303 {
			t.Fatalf("rotate: %d", r.Status)
		}
		works("after rotating", second, false)

		third := link()
		now = now.Add(notify.UnsubscribeTTL - time.Minute)
		works("just before expiry", third, true)
		now = now.Add(2 * time.Minute)
		works("expired", third, false)

		// The generation and expiry are under the MAC.
		fresh := link()
		token, _ := url.QueryUnescape(strings.TrimPrefix(fresh, "/notifications/unsubscribe?token="))
		parts := strings.Split(token, ".")
		for i, forged := range []string{parts[1] + "9", "0"} {
			p := append([]string(nil), parts...)
			p[1+i] = forged
			works("forged", "/notifications/unsubscribe?token="+url.QueryEscape(strings.Join(p, ".")), false)
		}
	})
}
