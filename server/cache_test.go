package server_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/server"
)

func TestReadCacheNeverServesStaleData(t *testing.T) {
	dir := t.TempDir()
	db, err := models.Open(models.OpenConfig{SQLitePath: dir + "/amends.db"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := models.Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, db)
	path := fmt.Sprintf("/api/v1/action-items/%d", e.f.ProviderItemA.ID)
	first := e.do("GET", path, e.f.SRE.Email, nil)
	second := e.do("GET", path, e.f.SRE.Email, nil)
	if second.Header.Get("X-Cache") != "hit" || string(first.Body) != string(second.Body) {
		t.Fatalf("an unchanged read is not served from the cache")
	}
	if second.Header.Get("X-Request-Id") == first.Header.Get("X-Request-Id") {
		t.Errorf("a cached answer reuses the request id of the first")
	}
	if r := e.do("GET", path, e.f.CustA.Email, nil); r.Header.Get("X-Cache") == "hit" || strings.Contains(string(r.Body), "customer_visible") {
		t.Errorf("another user got the staff answer from the cache: %s", r.Body)
	}

	// A write through the API.
	e.do("PATCH", path, e.f.SRE.Email, map[string]any{"status": "blocked"})
	if r := e.do("GET", path, e.f.SRE.Email, nil); !strings.Contains(string(r.Body), `"blocked"`) {
		t.Errorf("read after an API write is stale: %s", r.Body)
	}
	e.do("GET", path, e.f.SRE.Email, nil)

	// A write by another process: a separate connection pool on the file.
	other, err := models.Open(models.OpenConfig{SQLitePath: dir + "/amends.db"})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := models.NewStore(other).UpdateItem(context.Background(), e.f.SRE, e.f.ProviderItemA.ID,
		models.ItemPatch{Status: models.Some(models.StatusDone)}); err != nil {
		t.Fatal(err)
	}
	if r := e.do("GET", path, e.f.SRE.Email, nil); !strings.Contains(string(r.Body), `"done"`) || r.Header.Get("X-Cache") == "hit" {
		t.Errorf("read after another process's write is stale: %s", r.Body)
	}
}

func TestRevokedTokenStopsAtOnce(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	if r := e.do("GET", "/api/v1/customers", e.f.SRE.Email, nil); r.Status != 200 {
		t.Fatal(r.Status)
	}
	if err := e.f.Store.DB().W.Exec("UPDATE api_tokens SET revoked_at = CURRENT_TIMESTAMP").Error; err != nil {
		t.Fatal(err)
	}
	if r := e.do("GET", "/api/v1/customers", e.f.SRE.Email, nil); r.Status != 401 {
		t.Errorf("revoked token still accepted: %d", r.Status)
	}
}

// TestReadsAreSentWholeAndGzippedWhenAccepted asks for a list, first as a
// plain client then as a gzip client (each time just after a write, so
// the first ask is a miss), and then as every kind of client: all get the
// same answer, gzipped only if they accept it, with its length.
func TestReadsAreSentWholeAndGzippedWhenAccepted(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		e := newEnv(t, db)
		_, cacheable := db.Version(context.Background())
		get := func(path, acceptEncoding string) *httptest.ResponseRecorder {
			req := httptest.NewRequest("GET", path, nil)
			req.Header.Set("Authorization", "Bearer "+e.f.Tokens[e.f.SRE.Email])
			if acceptEncoding != "" {
				req.Header.Set("Accept-Encoding", acceptEncoding)
			}
			rec := httptest.NewRecorder()
			e.srv.Handler().ServeHTTP(rec, req)
			return rec
		}
		item := fmt.Sprintf("/api/v1/action-items/%d", e.f.ProviderItemA.ID)
		for _, sc := range []struct {
			first, status string
		}{
			{"", "blocked"},
			{"gzip", "in_progress"},
		} {
			e.do("PATCH", item, e.f.SRE.Email, map[string]any{"status": sc.status})
			miss := get("/api/v1/action-items", sc.first)
			if miss.Code != 200 || miss.Header().Get("X-Cache") != "miss" {
				t.Fatalf("first ask (Accept-Encoding %q) after a write: %d, X-Cache %q", sc.first, miss.Code, miss.Header().Get("X-Cache"))
			}
			want := server.SentBody(t, miss)
			if len(want) < 1024 || !strings.Contains(string(want), sc.status) {
				t.Fatalf("first ask (Accept-Encoding %q): %d bytes, without the status just written", sc.first, len(want))
			}
			for _, tc := range []struct {
				accept string
				gzip   bool
			}{
				{"gzip, deflate, br", true},
				{"br;q=1.0, gzip;q=0.5", true},
				{"*", true},
				{"gzip;q=0", false},
				{"identity", false},
				{"deflate", false},
				{"", false},
			} {
				rec := get("/api/v1/action-items", tc.accept)
				what := fmt.Sprintf("Accept-Encoding %q after a miss for %q", tc.accept, sc.first)
				if state := rec.Header().Get("X-Cache"); cacheable && state != "hit" {
					t.Errorf("%s: X-Cache %q", what, state)
				}
				if got := rec.Header().Get("Content-Encoding") == "gzip"; got != tc.gzip {
					t.Fatalf("%s: gzipped %v, want %v", what, got, tc.gzip)
				}
				if !bytes.Equal(server.SentBody(t, rec), want) {
					t.Fatalf("%s: body differs from the first answer", what)
				}
				if !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
					t.Errorf("%s: no Vary: Accept-Encoding", what)
				}
			}
		}

		// An answer too small for gzip to pay is kept and sent as it is.
		for _, state := range []string{"miss", "hit"} {
			if !cacheable && state == "hit" {
				break
			}
			rec := get(item, "gzip")
			if rec.Body.Len() >= 1024 || rec.Header().Get("Content-Encoding") != "" || rec.Header().Get("Vary") != "" {
				t.Errorf("small answer (%s): %d bytes, Content-Encoding %q, Vary %q", state, rec.Body.Len(), rec.Header().Get("Content-Encoding"), rec.Header().Get("Vary"))
			}
			if got := rec.Header().Get("X-Cache"); got != state {
				t.Errorf("small answer: X-Cache %q, want %q", got, state)
			}
			server.SentBody(t, rec)
		}

		// Answers that are not kept still arrive whole: a 404 in the error shape.
		if r := e.do("GET", "/api/v1/action-items/999999", e.f.SRE.Email, nil); r.Status != 404 {
			t.Errorf("unknown item: %d %s", r.Status, r.Body)
		} else if code, _ := r.apiError(t); code != "not_found" {
			t.Errorf("unknown item: code %q", code)
		}
	})
}
