package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"testing"

	"github.com/amendsdev/amends/models/testdb"
)

// A signed-in customer user opening / lands on the portal; staff see the
// home page; an anonymous visitor is sent to sign in.
func TestHomeSendsCustomersToThePortal(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		scenarios := []struct {
			name, email string
			status      int
			location    string
		}{
			{"customer", e.f.CustA.Email, 303, "/portal"},
			{"customer admin", e.f.CustAdminA.Email, 303, "/portal"},
			{"other customer", e.f.CustB.Email, 303, "/portal"},
			{"staff", e.f.SRE.Email, 200, ""},
			{"anonymous", "", 303, "/login"},
		}
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				r := e.page("GET", "/", sc.email, nil)
				if r.Status != sc.status {
					t.Fatalf("status %d, want %d", r.Status, sc.status)
				}
				if got := r.Header.Get("Location"); got != sc.location {
					t.Errorf("Location %q, want %q", got, sc.location)
				}
				if sc.location == "/portal" {
					if p := e.page("GET", sc.location, sc.email, nil); p.Status != 200 {
						t.Errorf("the portal answers %d", p.Status)
					}
				}
			})
		}
	})
}
