package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/server"
)

// BenchmarkStartPageAfterWrite is what a staff user waits for the start
// page under a steady trickle of writes: every request follows a commit,
// so no cached counts are current.
func BenchmarkStartPageAfterWrite(b *testing.B) {
	db := benchDB(b)
	store := models.NewStore(db)
	ctx := context.Background()
	admin := benchAdmin(b, store)
	token, _, err := store.CreateSession(ctx, admin.ID)
	if err != nil {
		b.Fatal(err)
	}
	srv, err := server.New(server.Config{}, store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	for b.Loop() {
		b.StopTimer()
		if err := db.W.Exec("UPDATE action_items SET updated_at = updated_at WHERE id = 1").Error; err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.AddCookie(&http.Cookie{Name: "amends_session", Value: token})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("start page: status %d", rec.Code)
		}
	}
}
