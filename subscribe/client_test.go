package subscribe_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/amendsdev/amends/subscribe"
)

// TestClientRefusesPrivateAddresses: a customer's webhook cannot make
// amends call into the operator's network.
func TestClientRefusesPrivateAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	scenarios := []struct {
		name         string
		allowPrivate bool
		wantErr      bool
	}{{"public only", false, true}, {"private allowed", true, false}}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			resp, err := subscribe.NewClient(sc.allowPrivate).Get(srv.URL)
			if resp != nil {
				resp.Body.Close()
			}
			if (err != nil) != sc.wantErr || (err != nil && !strings.Contains(err.Error(), "not a public address")) {
				t.Errorf("err %v, want error %v", err, sc.wantErr)
			}
		})
	}
}
