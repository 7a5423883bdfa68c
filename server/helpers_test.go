package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/server"
	"github.com/amendsdev/amends/server/openapi/openapitest"
)

// contract is the OpenAPI description, loaded once for every test: each
// answer the helpers below receive is checked against it, so that every
// API test is also a contract test.
var contract = sync.OnceValues(openapitest.New)

// serve sends a request to the server and checks the answer against the
// OpenAPI description.
func (e *env) serve(req *http.Request) response {
	e.t.Helper()
	var sent []byte
	if req.Body != nil {
		var err error
		if sent, err = io.ReadAll(req.Body); err != nil {
			e.t.Fatal(err)
		}
		req.Body = io.NopCloser(bytes.NewReader(sent))
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	c, err := contract()
	if err != nil {
		e.t.Fatal(err)
	}
	if err := c.Check(req, sent, rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
		e.t.Error(err)
	}
	return response{rec.Code, rec.Header(), rec.Body.Bytes()}
}

type env struct {
	t   *testing.T
	srv *server.Server
	f   *testdb.Fixture
}

func newEnv(t *testing.T, db *database.DB) *env {
	t.Helper()
	f := testdb.NewFixture(t, db)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := server.New(server.Config{Addr: ":0"}, f.Store, log)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, srv: srv, f: f}
}

// loggedServer is a server on a fresh fixture that keeps its log for the
// test to read.
func loggedServer(t *testing.T) (*server.Server, *testdb.Fixture, *bytes.Buffer) {
	t.Helper()
	f := testdb.NewFixture(t, testdb.SQLite(t))
	logs := &bytes.Buffer{}
	srv, err := server.New(server.Config{}, f.Store, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return srv, f, logs
}

// response is a recorded answer with its decoded JSON body.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("response is not a JSON object: %v\n%s", err, r.Body)
	}
	return m
}

// apiError checks the error shape and returns code and fields.
func (r response) apiError(t *testing.T) (string, map[string]any) {
	t.Helper()
	e, ok := r.json(t)["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error object in %s", r.Body)
	}
	code, _ := e["code"].(string)
	if code == "" || e["message"] == "" {
		t.Fatalf("error without code or message: %s", r.Body)
	}
	fields, _ := e["fields"].(map[string]any)
	return code, fields
}

// yamlBody is a request body sent as YAML (an OpenSLO upload).
type yamlBody string

// do sends a request as the user with that email ("" for anonymous); body
// is JSON-encoded unless it is already a string (sent as JSON) or a
// yamlBody.
func (e *env) do(method, path, email string, body any) response {
	e.t.Helper()
	var rd io.Reader
	ctype := "application/json"
	switch b := body.(type) {
	case nil:
	case yamlBody:
		rd, ctype = strings.NewReader(string(b)), "application/yaml"
	case string:
		rd = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req := httptest.NewRequest(method, path, rd)
	req.Header.Set("Content-Type", ctype)
	if email != "" {
		req.Header.Set("Authorization", "Bearer "+e.f.Tokens[email])
	}
	return e.serve(req)
}

// doWithHeader sends a GET with a raw Authorization header.
func (e *env) doWithHeader(method, path, authorization string) response {
	e.t.Helper()
	req := httptest.NewRequest(method, path, nil)
	req.Header.Set("Authorization", authorization)
	return e.serve(req)
}

// page sends a browser request: a session cookie for the user ("" for
// anonymous, who gets a pre-session CSRF cookie), and the CSRF token in the
// form of unsafe requests.
func (e *env) page(method, path, email string, form url.Values) response {
	e.t.Helper()
	csrf := models.RandomSecret(24)
	cookie := &http.Cookie{Name: "amends_csrf", Value: csrf}
	if email != "" {
		u, err := e.f.Store.UserByEmail(context.Background(), email)
		if err != nil {
			e.t.Fatal(err)
		}
		token, sess, err := e.f.Store.CreateSession(context.Background(), u.ID)
		if err != nil {
			e.t.Fatal(err)
		}
		cookie, csrf = &http.Cookie{Name: "amends_session", Value: token}, sess.CSRF
	}
	if form == nil {
		form = url.Values{}
	}
	var body io.Reader
	if method != http.MethodGet {
		form.Set("csrf", csrf)
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(cookie)
	return e.serve(req)
}
