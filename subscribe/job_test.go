package subscribe_test

import (
	"github.com/amendsdev/amends/models/database"

	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/notify"
	"github.com/amendsdev/amends/subscribe"
)

// receiver is a customer's webhook endpoint: it verifies every signature
// and answers with the status it is told to.
type receiver struct {
	mu       sync.Mutex
	secret   string
	status   int
	bodies   []subscribe.Payload
	badSigs  int
	requests int
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests++
	if !subscribe.Verify(r.secret, body, req.Header.Get(subscribe.SignatureHeader)) {
		r.badSigs++
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if r.status == http.StatusOK {
		var p subscribe.Payload
		if err := json.Unmarshal(body, &p); err == nil {
			r.bodies = append(r.bodies, p)
		}
	}
	w.WriteHeader(r.status)
}

func setup(t *testing.T, db *database.DB) (*testdb.Fixture, *subscribe.Job, *receiver, time.Time) {
	t.Helper()
	f := testdb.NewFixture(t, db)
	rc := &receiver{status: http.StatusInternalServerError}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	testdb.AllowLoopback(t, f.Store)
	h, err := f.Store.CreateWebhook(t.Context(), f.CustAdminA, srv.URL+"/hook")
	if err != nil {
		t.Fatal(err)
	}
	rc.secret = h.Secret
	j := subscribe.NewJob(f.Store, "https://amends.example")
	return f, j, rc, time.Now().UTC().Truncate(time.Second).Add(time.Hour)
}

// TestWebhookRetriesWithBackoffThenDelivers: the receiver fails twice,
// then takes every change once; each attempt is in the delivery log.
func TestWebhookRetriesWithBackoffThenDelivers(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f, j, rc, now := setup(t, db)
		steps := []struct {
			name        string
			at          time.Duration
			status      int
			wantAttempt int
			wantStatus  string
			wantNext    time.Duration
		}{
			{"first try fails", 0, 500, 1, models.DeliveryPending, 30 * time.Second},
			{"not yet due", 10 * time.Second, 500, 1, models.DeliveryPending, 30 * time.Second},
			{"second try fails", 30 * time.Second, 503, 2, models.DeliveryPending, 90 * time.Second},
			{"third try succeeds", 90 * time.Second, 200, 3, models.DeliveryDelivered, 0},
			{"nothing left", time.Hour, 200, 3, models.DeliveryDelivered, 0},
		}
		for _, st := range steps {
			rc.mu.Lock()
			rc.status = st.status
			rc.mu.Unlock()
			if err := j.Run(t.Context(), now.Add(st.at)); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			log, err := f.Store.WebhookLog(t.Context(), f.CustAdminA, 500)
			if err != nil || len(log) == 0 {
				t.Fatalf("%s: log %v, %v", st.name, log, err)
			}
			for _, d := range log {
				if d.Attempts != st.wantAttempt || d.Status != st.wantStatus {
					t.Fatalf("%s: delivery %d at attempt %d, %s; want %d, %s (%s)", st.name, d.ID, d.Attempts, d.Status, st.wantAttempt, st.wantStatus, d.LastError)
				}
				if st.wantNext != 0 && !d.NextAttemptAt.Equal(now.Add(st.wantNext)) {
					t.Errorf("%s: next retry %v, want %v", st.name, d.NextAttemptAt, now.Add(st.wantNext))
				}
				if st.wantStatus == models.DeliveryPending && (d.LastStatusCode != st.status || d.LastError == "") {
					t.Errorf("%s: logged %d %q", st.name, d.LastStatusCode, d.LastError)
				}
			}
		}
		if rc.badSigs != 0 {
			t.Errorf("%d deliveries had a bad signature", rc.badSigs)
		}
		seen := map[string]bool{}
		for _, p := range rc.bodies {
			if seen[p.ID] {
				t.Errorf("%s delivered twice", p.ID)
			}
			seen[p.ID] = true
			if p.Organisation != "acme" || strings.Contains(p.Change.ItemTitle, testdb.Marker) || strings.Contains(p.Change.PostmortemTitle, "Bravo") {
				t.Errorf("payload %+v", p)
			}
		}
		if len(seen) == 0 {
			t.Error("nothing was delivered")
		}
	})
}

// TestOverlappingPassesPostEachChangeOnce: two passes at once, as when a
// new leader takes over while the old one still runs its pass, queue each
// change once and post each delivery once.
func TestOverlappingPassesPostEachChangeOnce(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		_, j, rc, now := setup(t, db)
		rc.mu.Lock()
		rc.status = http.StatusOK
		rc.mu.Unlock()
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() { defer wg.Done(); errs[i] = j.Run(t.Context(), now) }()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		rc.mu.Lock()
		defer rc.mu.Unlock()
		seen := map[string]bool{}
		for _, p := range rc.bodies {
			if seen[p.ID] {
				t.Errorf("%s posted twice", p.ID)
			}
			seen[p.ID] = true
		}
		if len(seen) == 0 || rc.requests != len(seen) {
			t.Errorf("%d requests for %d changes", rc.requests, len(seen))
		}
	})
}

// TestWebhookGivesUpAfterMaxAttempts marks a delivery failed for good.
func TestWebhookGivesUpAfterMaxAttempts(t *testing.T) {
	f, j, _, now := setup(t, testdb.SQLite(t))
	for i := 0; i < subscribe.MaxAttempts+2; i++ {
		if err := j.Run(t.Context(), now.Add(time.Duration(i)*7*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	log, err := f.Store.WebhookLog(t.Context(), f.CustAdminA, 1)
	if err != nil || len(log) != 1 || log[0].Status != models.DeliveryFailed || log[0].Attempts != subscribe.MaxAttempts {
		t.Fatalf("log %+v, %v", log, err)
	}
}

func TestSignatureIsHMACOfTheBody(t *testing.T) {
	// HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), RFC 4231-style known answer.
	want := "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
	if got := subscribe.Sign("key", []byte("The quick brown fox jumps over the lazy dog")); got != want {
		t.Errorf("Sign = %s", got)
	}
	if subscribe.Verify("other", []byte("x"), subscribe.Sign("key", []byte("x"))) {
		t.Error("a signature under another secret verifies")
	}
}

// TestSubscriptionEmailsInstantAndDaily: an instant subscriber gets each
// change once, in the email of its postmortem's burst; a daily one gets
// yesterday's digest, once.
func TestSubscriptionEmailsInstantAndDaily(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f, j, _, now := setup(t, db)
		s := f.Store
		if err := s.Subscribe(t.Context(), f.CustA, models.SubscribeInstant); err != nil {
			t.Fatal(err)
		}
		if err := s.Subscribe(t.Context(), f.CustAdminA, models.SubscribeDaily); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateItem(t.Context(), f.SRE, f.ProviderItemA.ID, models.ItemPatch{Status: models.Some(models.StatusDone)}); err != nil {
			t.Fatal(err)
		}
		tomorrow := now.Truncate(24 * time.Hour).Add(24*time.Hour + time.Minute)
		if now.Truncate(24*time.Hour) != time.Now().UTC().Truncate(24*time.Hour) {
			tomorrow = now.Add(time.Minute) // the fixture was made yesterday, seen from now
		}
		for _, at := range []time.Time{now, now.Add(time.Minute), tomorrow, tomorrow.Add(time.Minute)} {
			if err := j.Run(t.Context(), at); err != nil {
				t.Fatal(err)
			}
		}
		o := notify.NewOutbox(s)
		msgs, err := o.List(t.Context(), "", 1000)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		var doneMail bool
		for _, m := range msgs {
			kinds[m.Recipient+" "+m.Kind]++
			full, err := o.Get(t.Context(), m.ID)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(full.TextBody, testdb.Marker) || strings.Contains(full.TextBody, "Bravo") {
				t.Errorf("email %q leaks: %s", m.Subject, full.TextBody)
			}
			if m.Kind == "change" && strings.Contains(full.TextBody, "Provider fix for A") && strings.Contains(full.TextBody, `"Done"`) {
				doneMail = true
			}
		}
		if !doneMail || kinds[f.CustA.Email+" change"] == 0 || kinds[f.CustA.Email+" change_digest"] != 0 {
			t.Errorf("instant subscriber's emails: %v", kinds)
		}
		if kinds[f.CustAdminA.Email+" change_digest"] != 1 || kinds[f.CustAdminA.Email+" change"] != 0 {
			t.Errorf("daily subscriber's emails: %v", kinds)
		}
		if kinds[f.CustB.Email+" change"]+kinds[f.CustB.Email+" change_digest"] != 0 {
			t.Errorf("customer B got mail: %v", kinds)
		}
	})
}

// TestChangeEmailsCarryUnsubscribeAndRespectAPause: a change email has a
// one-click List-Unsubscribe for its recipient, and a subscriber who
// paused their emails (as that link does) gets none.
func TestChangeEmailsCarryUnsubscribeAndRespectAPause(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f, j, _, now := setup(t, db)
		s := f.Store
		for _, u := range []*models.User{f.CustA, f.CustAdminA} {
			if err := s.Subscribe(t.Context(), u, models.SubscribeInstant); err != nil {
				t.Fatal(err)
			}
		}
		if err := notify.SavePref(t.Context(), s, notify.Pref{Email: f.CustAdminA.Email, Paused: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateItem(t.Context(), f.SRE, f.ProviderItemA.ID, models.ItemPatch{Status: models.Some(models.StatusDone)}); err != nil {
			t.Fatal(err)
		}
		if err := j.Run(t.Context(), now); err != nil {
			t.Fatal(err)
		}
		o := notify.NewOutbox(s)
		msgs, err := o.List(t.Context(), "", 1000)
		if err != nil {
			t.Fatal(err)
		}
		signer, err := notify.NewSigner(t.Context(), s)
		if err != nil {
			t.Fatal(err)
		}
		var sent int
		for _, m := range msgs {
			if m.Kind != "change" {
				continue
			}
			if m.Recipient == f.CustAdminA.Email {
				t.Fatalf("a paused subscriber got %q", m.Subject)
			}
			full, err := o.Get(t.Context(), m.ID)
			if err != nil {
				t.Fatal(err)
			}
			link := strings.Trim(full.Headers["List-Unsubscribe"], "<>")
			_, token, ok := strings.Cut(link, "/notifications/unsubscribe?token=")
			if !ok || full.Headers["List-Unsubscribe-Post"] != "List-Unsubscribe=One-Click" || !strings.Contains(full.TextBody, link) {
				t.Fatalf("change email headers %v, text %q: want a one-click unsubscribe link in both", full.Headers, full.TextBody)
			}
			if email, err := signer.Check(token); err != nil || email != strings.ToLower(m.Recipient) {
				t.Fatalf("unsubscribe token names %q (%v), want %q", email, err, m.Recipient)
			}
			sent++
		}
		if sent == 0 {
			t.Fatal("the subscriber who did not pause got no change email")
		}
	})
}
