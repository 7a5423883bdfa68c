package server_test

import (
	"context"
	"fmt"
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
