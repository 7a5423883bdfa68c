package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/benchdata"
	"github.com/amendsdev/amends/server"
	"github.com/amendsdev/amends/sync/ghsync"
)

const (
	benchCustomers = 2_000
	benchItems     = 1_000_000
)

// benchDB opens (and the first time, fills) a SQLite database with a
// million action items across 2,000 customers. It is kept in the temp dir
// between runs because filling it takes a while; AMENDS_BENCH_DB names
// another file.
func benchDB(b *testing.B) *database.DB {
	b.Helper()
	path := os.Getenv("AMENDS_BENCH_DB")
	if path == "" {
		path = filepath.Join(os.TempDir(), fmt.Sprintf("amends-bench-%dx%d.db", benchCustomers, benchItems))
	}
	_, statErr := os.Stat(path)
	db, err := database.Open(database.OpenConfig{SQLitePath: path})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	ctx := context.Background()
	if err := database.Migrate(ctx, db); err != nil {
		b.Fatal(err)
	}
	if os.IsNotExist(statErr) {
		b.Logf("filling %s with %d items; later runs reuse it", path, benchItems)
		if err := benchdata.Fill(ctx, db, benchdata.Options{Customers: benchCustomers, Items: benchItems}); err != nil {
			os.Remove(path)
			b.Fatal(err)
		}
	}
	return db
}

// BenchmarkListOpenItemsOfCustomer is the list endpoint a customer review
// and the portal lean on, through the whole middleware chain: each request
// asks for another of the 2,000 customers. Every answer is computed: the
// cost of the query, rendering and compression.
func BenchmarkListOpenItemsOfCustomer(b *testing.B) {
	benchList(b, benchCustomers)
}

func benchList(b *testing.B, customers int) {
	db := benchDB(b)
	store := models.NewStore(db)
	ctx := context.Background()
	admin := benchAdmin(b, store)
	token, err := store.CreateToken(ctx, admin.ID, "bench")
	if err != nil {
		b.Fatal(err)
	}
	srv, err := server.New(server.Config{}, store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	loadHTTP(b, h, token, func(base string, i int) *http.Request {
		url := fmt.Sprintf("%s/api/v1/action-items?customer_id=%d&status=open", base, 1+i*7%customers)
		req, _ := http.NewRequest("GET", url, nil)
		return req
	})
}

// BenchmarkUpdateItemStatus is item updates through the whole chain, from
// 32 concurrent clients: each PATCH is one write transaction (the item, its
// audit event) queued for SQLite's single writer.
func BenchmarkUpdateItemStatus(b *testing.B) {
	db := benchDB(b)
	store := models.NewStore(db)
	admin := benchAdmin(b, store)
	token, err := store.CreateToken(context.Background(), admin.ID, "bench")
	if err != nil {
		b.Fatal(err)
	}
	srv, err := server.New(server.Config{}, store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	// Other items each run, each set to one of three statuses: most
	// requests change the item, as a real update does.
	statuses := []string{`{"status":"in_progress"}`, `{"status":"blocked"}`, `{"status":"open"}`}
	offset := rand.IntN(benchItems)
	loadHTTP(b, srv.Handler(), token, func(base string, i int) *http.Request {
		id := 1 + (offset+i*7919)%benchItems
		req, _ := http.NewRequest("PATCH", fmt.Sprintf("%s/api/v1/action-items/%d", base, id), strings.NewReader(statuses[i%3]))
		req.Header.Set("Content-Type", "application/json")
		return req
	})
}

// benchAdmin is the admin the benchmarks act as, made on first use.
func benchAdmin(b *testing.B, store *models.Store) *models.User {
	ctx := context.Background()
	admin, err := store.UserByEmail(ctx, "bench-admin@provider.example")
	if err != nil {
		admin, err = store.CreateUser(ctx, models.UserInput{Email: "bench-admin@provider.example", Name: "Bench", Role: models.RoleAdmin, Password: "benchmark password"})
		if err != nil {
			b.Fatal(err)
		}
	}
	return admin
}

// loadHTTP drives a real HTTP server on loopback from 64 concurrent
// clients with keep-alive, as a load generator would.
func loadHTTP(b *testing.B, h http.Handler, token string, request func(base string, i int) *http.Request) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
	b.SetParallelism(32)
	b.ResetTimer()
	var n atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := request(srv.URL, int(n.Add(1)))
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode/100 != 2 {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
}

// BenchmarkHelloWorld is the baseline: an Echo JSON handler doing nothing.
func BenchmarkHelloWorld(b *testing.B) {
	e := echo.New()
	e.GET("/hello", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"hello": "world"}) })
	loadHTTP(b, e, "", func(base string, _ int) *http.Request {
		req, _ := http.NewRequest("GET", base+"/hello", nil)
		return req
	})
}

// BenchmarkGitHubWebhook is webhook intake: a signed "issues" delivery for
// an issue no item tracks, the bulk of what a busy organisation's webhook
// sends.
func BenchmarkGitHubWebhook(b *testing.B) {
	store := models.NewStore(benchDB(b))
	const secret = "bench-webhook-secret"
	sy, err := ghsync.New(store, ghsync.Options{
		Config: ghsync.Config{Token: "token", APIURL: "http://127.0.0.1:9"}, WebhookSecret: secret,
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(sy.Wait)
	srv, err := server.New(server.Config{GitHub: sy}, store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	body, err := os.ReadFile("../sync/ghsync/testdata/issues.closed.json")
	if err != nil {
		b.Fatal(err)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	signature := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	loadHTTP(b, srv.Handler(), "", func(base string, i int) *http.Request {
		req, _ := http.NewRequest("POST", base+"/webhooks/github", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-GitHub-Event", "issues")
		req.Header.Set("X-GitHub-Delivery", fmt.Sprintf("bench-%d", i))
		req.Header.Set("X-Hub-Signature-256", signature)
		return req
	})
}
