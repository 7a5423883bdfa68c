package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

// withSession sends a browser request with the session cookie given, and
// the session's CSRF token in the form of unsafe requests.
func (e *env) withSession(method, path, cookie, csrf string) response {
	e.t.Helper()
	form := ""
	if method != http.MethodGet {
		form = url.Values{"csrf": {csrf}}.Encode()
	}
	req := httptest.NewRequest(method, path, strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "amends_session", Value: cookie})
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return response{rec.Code, rec.Header(), rec.Body.Bytes()}
}

// Each change is made while the user's credential is cached, the way an
// admin's script or another request would make it: the very next request
// must see it.
func TestCredentialChangesTakeEffectAtOnce(t *testing.T) {
	type scenario struct {
		name   string
		email  string
		method string
		path   func(f *testdb.Fixture) string
		body   any
		change func(db *models.DB, f *testdb.Fixture) error
		want   int
	}
	item := func(f *testdb.Fixture) string { return fmt.Sprintf("/api/v1/action-items/%d", f.ProviderItemA.ID) }
	scenarios := []scenario{
		{"token revoked", "sre@provider.example", "GET", item, nil, func(db *models.DB, f *testdb.Fixture) error {
			return db.W.Model(&models.APIToken{}).Where("user_id = ?", f.SRE.ID).Update("revoked_at", time.Now()).Error
		}, http.StatusUnauthorized},
		{"token revoked in a transaction with other writes", "sre@provider.example", "GET", item, nil, func(db *models.DB, f *testdb.Fixture) error {
			return db.W.Transaction(func(tx *gorm.DB) error {
				if err := tx.Exec("UPDATE action_items SET title = 'renamed' WHERE id = ?", f.ProviderItemA.ID).Error; err != nil {
					return err
				}
				return tx.Exec("UPDATE api_tokens SET revoked_at = CURRENT_TIMESTAMP WHERE user_id = ?", f.SRE.ID).Error
			})
		}, http.StatusUnauthorized},
		{"user deleted", "viewer@provider.example", "GET", item, nil, func(db *models.DB, f *testdb.Fixture) error {
			return db.W.Delete(&models.User{}, f.Viewer.ID).Error
		}, http.StatusUnauthorized},
		{"user demoted by hand", "sre@provider.example", "PATCH", item, map[string]any{"status": "in_progress"}, func(db *models.DB, f *testdb.Fixture) error {
			return db.W.Exec("update USERS set role = 'viewer' where id = ?", f.SRE.ID).Error
		}, http.StatusForbidden},
		{"user moved to another customer", "user@acme.example", "GET",
			func(f *testdb.Fixture) string { return fmt.Sprintf("/api/v1/postmortems/%d", f.SharedA.ID) }, nil,
			func(db *models.DB, f *testdb.Fixture) error {
				return db.W.Model(f.CustA).Update("customer_id", f.B.ID).Error
			}, http.StatusNotFound},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			testdb.Run(t, func(t *testing.T, db *models.DB) {
				e := newEnv(t, db)
				path := sc.path(e.f)
				for range 2 {
					if r := e.do(sc.method, path, sc.email, sc.body); r.Status != http.StatusOK {
						t.Fatalf("before the change: %d %s", r.Status, r.Body)
					}
				}
				if err := sc.change(db, e.f); err != nil {
					t.Fatal(err)
				}
				if r := e.do(sc.method, path, sc.email, sc.body); r.Status != sc.want {
					t.Fatalf("after the change: %d, want %d: %s", r.Status, sc.want, r.Body)
				}
			})
		})
	}
}

func TestSessionChangesTakeEffectAtOnce(t *testing.T) {
	scenarios := []struct {
		name   string
		path   string
		change func(e *env, cookie, csrf string, now *time.Time) error
		want   int
	}{
		{"signed out", "/items", func(e *env, cookie, csrf string, _ *time.Time) error {
			if r := e.withSession("POST", "/logout", cookie, csrf); r.Status != http.StatusSeeOther {
				return fmt.Errorf("sign out: %d %s", r.Status, r.Body)
			}
			return nil
		}, http.StatusSeeOther},
		{"user demoted", "/admin/outbox", func(e *env, _, _ string, _ *time.Time) error {
			return e.f.Store.DB().W.Model(e.f.Admin).Update("role", models.RoleViewer).Error
		}, http.StatusForbidden},
		// Time moves no version: the cached session must still expire.
		{"session expired", "/items", func(_ *env, _, _ string, now *time.Time) error {
			*now = now.Add(models.SessionTTL + time.Minute)
			return nil
		}, http.StatusSeeOther},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			testdb.Run(t, func(t *testing.T, db *models.DB) {
				e := newEnv(t, db)
				now := time.Now().UTC()
				e.f.Store.SetClock(func() time.Time { return now })
				cookie, sess, err := e.f.Store.CreateSession(context.Background(), e.f.Admin.ID)
				if err != nil {
					t.Fatal(err)
				}
				for range 2 {
					if r := e.withSession("GET", sc.path, cookie, ""); r.Status != http.StatusOK {
						t.Fatalf("before the change: %d %s", r.Status, r.Body)
					}
				}
				if err := sc.change(e, cookie, sess.CSRF, &now); err != nil {
					t.Fatal(err)
				}
				if r := e.withSession("GET", sc.path, cookie, ""); r.Status != sc.want {
					t.Fatalf("after the change: %d, want %d", r.Status, sc.want)
				}
			})
		})
	}
}

// lookups counts the queries of db's readers by table: what the store reads
// to resolve a token or a session.
func lookups(t *testing.T, db *models.DB) func(table string) int {
	var mu sync.Mutex
	n := map[string]int{}
	err := db.R.Callback().Query().After("gorm:query").Register("test:count_lookups", func(tx *gorm.DB) {
		mu.Lock()
		defer mu.Unlock()
		n[tx.Statement.Table]++
	})
	if err != nil {
		t.Fatal(err)
	}
	return func(table string) int {
		mu.Lock()
		defer mu.Unlock()
		return n[table]
	}
}

// externalPoll is how often SQLite's data_version is looked at
// (models.externalPoll); a look also sees this process's commits and then
// moves every version.
const externalPoll = 100 * time.Millisecond

// Writes that cannot change a credential leave the credential caches warm:
// under item updates, a token or a session is not looked up again.
func TestOtherWritesKeepCredentialsCached(t *testing.T) {
	db := testdb.SQLite(t)
	e := newEnv(t, db)
	count := lookups(t, db)
	cookie, _, err := e.f.Store.CreateSession(context.Background(), e.f.Admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	item := fmt.Sprintf("/api/v1/action-items/%d", e.f.ProviderItemA.ID)
	warm := func() {
		t.Helper()
		if r := e.do("GET", item, "sre@provider.example", nil); r.Status != http.StatusOK {
			t.Fatalf("token: %d %s", r.Status, r.Body)
		}
		if r := e.withSession("GET", "/items", cookie, ""); r.Status != http.StatusOK {
			t.Fatalf("session: %d %s", r.Status, r.Body)
		}
	}
	warm() // the token's first use is recorded, which is a credential write
	// Within externalPoll of a look at data_version, only this process's
	// writes move the versions.
	time.Sleep(externalPoll)
	deadline := time.Now().Add(externalPoll)
	warm()
	version, _ := db.Version(context.Background())
	credentials, _ := db.CredentialsVersion(context.Background())
	tokens, sessions := count("api_tokens"), count("sessions")

	for _, status := range []string{"in_progress", "open", "blocked"} {
		if r := e.do("PATCH", item, "sre@provider.example", map[string]any{"status": status}); r.Status != http.StatusOK {
			t.Fatalf("update: %d %s", r.Status, r.Body)
		}
		warm()
	}
	if time.Now().After(deadline) {
		t.Skip("the requests took longer than externalPoll; the versions cannot be told apart")
	}
	if v, _ := db.Version(context.Background()); v == version {
		t.Error("three item updates left the version unchanged")
	}
	if v, _ := db.CredentialsVersion(context.Background()); v != credentials {
		t.Errorf("item updates moved the credentials version from %d to %d", credentials, v)
	}
	if n := count("api_tokens") - tokens; n != 0 {
		t.Errorf("the token was looked up %d more times", n)
	}
	if n := count("sessions") - sessions; n != 0 {
		t.Errorf("the session was looked up %d more times", n)
	}
}
