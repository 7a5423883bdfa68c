package subscribe_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/subscribe"
	"github.com/amendsdev/amends/subscribe/egress"
)

// TestClientRefusesPrivateAddresses: a customer's webhook cannot make
// amends call into the operator's network, unless the operator allows
// the range.
func TestClientRefusesPrivateAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	loopback, err := egress.ParseAllow("127.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	scenarios := []struct {
		name    string
		allow   []netip.Prefix
		wantErr bool
	}{{"public only", nil, true}, {"loopback allowed", loopback, false}}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			resp, err := subscribe.NewClient(egress.New(sc.allow)).Get(srv.URL)
			if resp != nil {
				resp.Body.Close()
			}
			if (err != nil) != sc.wantErr || (err != nil && !strings.Contains(err.Error(), "not a public address")) {
				t.Errorf("err %v, want error %v", err, sc.wantErr)
			}
		})
	}
}

// rebinder resolves a name to a public address first, then to loopback.
type rebinder struct{ calls int }

func (r *rebinder) LookupNetIP(context.Context, string, string) ([]netip.Addr, error) {
	r.calls++
	if r.calls == 1 {
		return []netip.Addr{netip.MustParseAddr("93.184.215.14")}, nil
	}
	return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
}

// TestWebhookRebindingIsRefusedAtDelivery: a webhook saved while its name
// resolved to a public address is not delivered once the name resolves to
// loopback; the delivery log says why.
func TestWebhookRebindingIsRefusedAtDelivery(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		var hits int
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits++ }))
		t.Cleanup(srv.Close)
		port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
		f.Store.SetEgress(egress.New(nil).WithResolver(&rebinder{}))
		if _, err := f.Store.CreateWebhook(t.Context(), f.CustAdminA, "http://hooks.acme.example:"+port+"/hook"); err != nil {
			t.Fatalf("save: %v", err)
		}
		j := subscribe.NewJob(f.Store, "https://amends.example")
		if err := j.Run(t.Context(), time.Now().UTC().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		log, err := f.Store.WebhookLog(t.Context(), f.CustAdminA, 10)
		if err != nil || len(log) == 0 {
			t.Fatalf("delivery log %v, %v", log, err)
		}
		if hits != 0 || !strings.Contains(log[0].LastError, "127.0.0.1 is not a public address: loopback") {
			t.Errorf("hits %d, last error %q", hits, log[0].LastError)
		}
	})
}
