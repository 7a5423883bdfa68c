package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/server"
	"github.com/amendsdev/amends/sync/ghfake"
	"github.com/amendsdev/amends/sync/ghsync"
)

// fuzzServer is a server on the fixture with the GitHub sync on.
func fuzzServer(f *testing.F) (*server.Server, *testdb.Fixture) {
	fake := ghfake.New(f)
	fx := testdb.NewFixture(f, testdb.SQLite(f))
	sy, err := ghsync.New(fx.Store, ghsync.Options{
		Config: ghsync.Config{Token: "token", APIURL: fake.URL}, WebhookSecret: hookSecret, BaseURL: "https://amends.example",
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(sy.Wait)
	srv, err := server.New(server.Config{Addr: ":0", GitHub: sy}, fx.Store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		f.Fatal(err)
	}
	return srv, fx
}

// checkAnswer: a 2xx, or a 4xx in the one error shape; never a 5xx.
func checkAnswer(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code >= 200 && rec.Code < 300 {
		return
	}
	if rec.Code < 400 || rec.Code >= 500 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var shape struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &shape); err != nil || shape.Error.Code == "" || shape.Error.Message == "" {
		t.Fatalf("status %d without the error shape (%v): %s", rec.Code, err, rec.Body)
	}
}

// FuzzCreateItemJSON sends any body to a create route: decodeJSON and the
// validation behind it answer 2xx or 4xx, never 5xx.
func FuzzCreateItemJSON(f *testing.F) {
	for _, seed := range []string{
		`{"title":"Add an alert","owner":"provider","type":"detect","priority":"P1","due_date":"2027-01-31"}`,
		`{"title":1,"owner":null,"priority":["P0"],"customer_id":-1,"customer_visible":"yes"}`,
		`{"title":"x","due_date":"2027-02-30","unknown":true}`,
		`{"title":"` + "\u0000\xff" + `","assignee":"a@b.c","description":"` + string(bytes.Repeat([]byte("x"), 5000)) + `"}`,
		`[]`, `null`, `{`, `"str"`, `{"title":{"nested":{"deep":[1,2,3]}}}`,
		`{"customer_id":18446744073709551616,"priority":"P9","status":"done"}`,
	} {
		f.Add(seed)
	}
	srv, fx := fuzzServer(f)
	path := "/api/v1/postmortems/" + id(fx.SharedA.ID) + "/action-items"
	token := fx.Tokens[fx.SRE.Email]
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", path, bytes.NewReader([]byte(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		checkAnswer(t, rec)
	})
}

// FuzzGitHubWebhook sends any delivery, signed or not: the intake answers
// 2xx or 4xx, never 5xx and never a panic.
func FuzzGitHubWebhook(f *testing.F) {
	paths := []string{"issues.closed.json", "issues.transferred.json", "ping.json"}
	for _, p := range paths {
		b, err := os.ReadFile("../sync/ghsync/testdata/" + p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add("issues", "d-"+p, b, true)
	}
	f.Add("issues", "", []byte(`{"action":"opened"}`), true)
	f.Add("issues", "x", []byte(`not json`), false)
	f.Add("", "", []byte{}, true)
	srv, _ := fuzzServer(f)
	f.Fuzz(func(t *testing.T, event, delivery string, body []byte, signed bool) {
		req := httptest.NewRequest("POST", "/webhooks/github", bytes.NewReader(body))
		req.Header.Set("X-GitHub-Event", event)
		req.Header.Set("X-GitHub-Delivery", delivery)
		if signed {
			req.Header.Set("X-Hub-Signature-256", signHook(hookSecret, body))
		}
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		checkAnswer(t, rec)
	})
}
