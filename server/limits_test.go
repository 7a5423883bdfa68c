package server_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/server"
)

// serveOnPort runs the server on a real listener, with its own timeouts,
// for the tests that need a network between client and server.
func serveOnPort(t *testing.T, cfg server.Config) (string, *testdb.Fixture) {
	t.Helper()
	f := testdb.NewFixture(t, testdb.SQLite(t))
	srv, err := server.New(cfg, f.Store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String(), f
}

// Issue 18: six connections that announced a large body to
// /webhooks/github and sent a byte every 16 s took every admission slot,
// and /login and the API stopped answering. Here 50 slow clients (half
// trickling a body, half never finishing their headers) hold nothing
// that other requests wait for, and are cut off at the read timeouts.
func TestSlowClientsDoNotFreezeTheService(t *testing.T) {
	limits := server.DefaultLimits()
	limits.ReadHeaderTimeout, limits.ReadTimeout = time.Second, 2*time.Second
	addr, f := serveOnPort(t, server.Config{Limits: limits})

	var conns []net.Conn
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i := range 50 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		start := "GET /login HTTP/1.1\r\nHost: amends\r\n" // headers never end
		if i%2 == 0 {
			start = "POST /webhooks/github HTTP/1.1\r\nHost: amends\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{"
		}
		if _, err := io.WriteString(c, start); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() { // one byte every 200 ms, until the server hangs up
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				case <-time.After(200 * time.Millisecond):
				}
				if _, err := c.Write([]byte(" ")); err != nil {
					return
				}
			}
		}()
	}
	t.Cleanup(func() {
		close(stop)
		for _, c := range conns {
			c.Close()
		}
		wg.Wait()
	})
	time.Sleep(300 * time.Millisecond)

	client := &http.Client{Timeout: 5 * time.Second}
	for _, path := range []string{"/login", "/api/v1/action-items", "/login"} {
		req, _ := http.NewRequest("GET", "http://"+addr+path, nil)
		req.Header.Set("Authorization", "Bearer "+f.Tokens[f.SRE.Email])
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s with 50 slow clients connected: %v", path, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if took := time.Since(start); resp.StatusCode != 200 || took > time.Second {
			t.Errorf("GET %s with 50 slow clients connected: %d in %v, want 200 within 1s", path, resp.StatusCode, took)
		}
	}

	// Every slow client is cut off once its timeout has passed.
	deadline := time.Now().Add(limits.ReadTimeout + 3*time.Second)
	for i, c := range conns {
		c.SetReadDeadline(deadline)
		_, err := io.Copy(io.Discard, c)
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatalf("slow client %d still connected %v after the read timeout", i, limits.ReadTimeout+3*time.Second)
		}
	}
}

// repeat is an endless body of one byte, for bodies larger than a test
// would want to hold in memory.
type repeat byte

func (r repeat) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// Issue 18: the CSRF check parsed any form body, /login's included,
// before any limit (25 posts of 40 MB took the process to 1.3 GB), and
// multipart posts spilled to disk. Every body is now refused past its
// limit, with or without a Content-Length, before anything parses it.
func TestLargeBodiesAreRefusedBeforeAnyParsing(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	const huge = 40 << 20
	form := func(path string, known bool, cookie *http.Cookie) *http.Request {
		body := io.MultiReader(strings.NewReader("csrf=x&email="), io.LimitReader(repeat('a'), huge))
		req := httptest.NewRequest("POST", path, body)
		req.ContentLength = -1
		if known {
			req.ContentLength = huge + 13
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if cookie != nil {
			req.AddCookie(cookie)
		}
		return req
	}
	session := e.session(e.f.SRE.Email)
	var mp bytes.Buffer
	w := multipart.NewWriter(&mp)
	w.WriteField("csrf", "x")
	fw, _ := w.CreateFormFile("file", "slo.yaml")
	io.Copy(fw, io.LimitReader(repeat('#'), 2<<20))
	w.Close()
	upload := httptest.NewRequest("POST", fmt.Sprintf("/customers/%d/slos/openslo", e.f.A.ID), bytes.NewReader(mp.Bytes()))
	upload.Header.Set("Content-Type", w.FormDataContentType())
	upload.AddCookie(session)
	apiJSON := httptest.NewRequest("POST", "/api/v1/customers", io.MultiReader(strings.NewReader(`{"name":"`), io.LimitReader(repeat('x'), 100<<10), strings.NewReader(`"}`)))
	apiJSON.Header.Set("Content-Type", "application/json")
	apiJSON.Header.Set("Authorization", "Bearer "+e.f.Tokens[e.f.SRE.Email])

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for _, sc := range []struct {
		name string
		req  *http.Request
	}{
		{"login form with its length", form("/login", true, nil)},
		{"login form, chunked", form("/login", false, nil)},
		{"signed-in form, chunked", form("/items/bulk", false, session)},
		{"OpenSLO upload over 1 MiB", upload},
		{"API JSON over 64 KiB", apiJSON},
	} {
		rec := httptest.NewRecorder()
		e.srv.Handler().ServeHTTP(rec, sc.req)
		if rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("%s: status %d, want 413", sc.name, rec.Code)
		}
		if sc.req.URL.Path == "/api/v1/customers" {
			if code, _ := (response{rec.Code, rec.Header(), rec.Body.Bytes()}).apiError(t); code != "body_too_large" {
				t.Errorf("%s: code %q, want body_too_large", sc.name, code)
			}
		}
	}
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 24<<20 {
		t.Errorf("refusing four large bodies allocated %d MB", grew>>20)
	}
	// A form within the limit still works.
	if r := e.page("POST", "/postmortems", e.f.SRE.Email, map[string][]string{"title": {"Small form"}, "severity": {"SEV3"},
		"visibility": {"internal"}, "status": {"draft"}}); r.Status != http.StatusSeeOther {
		t.Errorf("a small form: %d %s", r.Status, r.Body)
	}
}

// session signs the user in and returns the session cookie.
func (e *env) session(email string) *http.Cookie {
	e.t.Helper()
	u, err := e.f.Store.UserByEmail(context.Background(), email)
	if err != nil {
		e.t.Fatal(err)
	}
	token, _, err := e.f.Store.CreateSession(context.Background(), u.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return &http.Cookie{Name: "amends_session", Value: token}
}

// The settings reach the HTTP server: a client that does not finish its
// headers within ReadHeaderTimeout is answered and cut off.
func TestHeaderTimeoutCutsOffSlowHeaders(t *testing.T) {
	limits := server.DefaultLimits()
	limits.ReadHeaderTimeout = 500 * time.Millisecond
	addr, _ := serveOnPort(t, server.Config{Limits: limits})
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET /login HTTP/1.1\r\nHost: amends\r\n")
	start := time.Now()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err = bufio.NewReader(c).ReadString('\n')
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("the connection was still open after 5 s")
	}
	if took := time.Since(start); took < 400*time.Millisecond || took > 3*time.Second {
		t.Errorf("cut off after %v, want about 500ms", took)
	}
}
