package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/benchdata"
	"github.com/amendsdev/amends/server"
)

const (
	benchCustomers = 2_000
	benchItems     = 1_000_000
)

// benchDB opens (and the first time, fills) a SQLite database with a
// million action items across 2,000 customers. It is kept in the temp dir
// between runs because filling it takes a while; AMENDS_BENCH_DB names
// another file.
func benchDB(b *testing.B) *models.DB {
	b.Helper()
	path := os.Getenv("AMENDS_BENCH_DB")
	if path == "" {
		path = filepath.Join(os.TempDir(), fmt.Sprintf("amends-bench-%dx%d.db", benchCustomers, benchItems))
	}
	_, statErr := os.Stat(path)
	db, err := models.Open(models.OpenConfig{SQLitePath: path})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	ctx := context.Background()
	if err := models.Migrate(ctx, db); err != nil {
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
// and the portal lean on, through the whole middleware chain. Each request
// asks for another of the 2,000 customers, so the read cache (smaller than
// that working set) always misses: this is the cost of the query itself.
func BenchmarkListOpenItemsOfCustomer(b *testing.B) {
	benchList(b, benchCustomers)
}

// BenchmarkListOpenItemsOfCustomerCached asks for the lists of 100
// customers over and over, as a portal with active users does between
// writes: the read cache answers.
func BenchmarkListOpenItemsOfCustomerCached(b *testing.B) {
	benchList(b, 100)
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
	loadHTTP(b, h, func(i int) string {
		return fmt.Sprintf("/api/v1/action-items?customer_id=%d&status=open", 1+i*7%customers)
	}, token)
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
func loadHTTP(b *testing.B, h http.Handler, path func(i int) string, token string) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
	b.SetParallelism(32)
	b.ResetTimer()
	var n atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("GET", srv.URL+path(int(n.Add(1))), nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
	})
}

// BenchmarkHelloWorld is the baseline: an Echo JSON handler doing nothing.
func BenchmarkHelloWorld(b *testing.B) {
	e := echo.New()
	e.GET("/hello", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"hello": "world"}) })
	loadHTTP(b, e, func(int) string { return "/hello" }, "")
}
