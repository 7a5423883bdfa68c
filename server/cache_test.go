package server_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
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

func TestReadsAreSentWholeAndGzippedWhenAccepted(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
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
	plain := get("/api/v1/action-items", "")
	if plain.Code != 200 || plain.Header().Get("Content-Encoding") != "" {
		t.Fatalf("plain answer: %d, encoding %q", plain.Code, plain.Header().Get("Content-Encoding"))
	}
	if n, _ := strconv.Atoi(plain.Header().Get("Content-Length")); n != plain.Body.Len() || n < 1024 {
		t.Fatalf("Content-Length %q for a body of %d bytes", plain.Header().Get("Content-Length"), plain.Body.Len())
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
	} {
		// The first ask may be a miss, the second a hit: both the same.
		for _, state := range []string{"first", "second"} {
			rec := get("/api/v1/action-items", tc.accept)
			body := rec.Body.Bytes()
			if got := rec.Header().Get("Content-Encoding") == "gzip"; got != tc.gzip {
				t.Fatalf("Accept-Encoding %q (%s ask): gzipped %v, want %v", tc.accept, state, got, tc.gzip)
			}
			if n, _ := strconv.Atoi(rec.Header().Get("Content-Length")); n != len(body) {
				t.Fatalf("Accept-Encoding %q: Content-Length %d for %d bytes", tc.accept, n, len(body))
			}
			if tc.gzip {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(body, plain.Body.Bytes()) {
				t.Fatalf("Accept-Encoding %q (%s ask): body differs from the plain one", tc.accept, state)
			}
			if !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
				t.Errorf("Accept-Encoding %q: no Vary: Accept-Encoding", tc.accept)
			}
		}
	}

	// Answers that are not kept still arrive whole: a 404 in the error shape.
	if r := e.do("GET", "/api/v1/action-items/999999", e.f.SRE.Email, nil); r.Status != 404 {
		t.Errorf("unknown item: %d %s", r.Status, r.Body)
	} else if code, _ := r.apiError(t); code != "not_found" {
		t.Errorf("unknown item: code %q", code)
	}
}
