package server_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/server"
	"github.com/amendsdev/amends/sso"
)

// person is someone at the test provider: the claims of their ID token.
type person struct {
	Subject, Email, Name string
	EmailVerified        bool
	Groups               []string
}

func (p person) ID() string { return p.Subject }
func (p person) Userinfo([]string) ([]byte, error) {
	return json.Marshal(map[string]string{"sub": p.Subject})
}

// Claims are what a real provider puts in an ID token for the scopes
// openid, profile, email and groups.
func (p person) Claims(_ []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	return &struct {
		*mockoidc.IDTokenClaims
		Email         string   `json:"email,omitempty"`
		EmailVerified bool     `json:"email_verified"`
		Name          string   `json:"name,omitempty"`
		Groups        []string `json:"groups,omitempty"`
	}{base, p.Email, p.EmailVerified, p.Name, p.Groups}, nil
}

// provider is a real OpenID provider on a loopback port (mockoidc: it
// serves discovery, keys, the authorization endpoint with PKCE, and a
// token endpoint that refuses a code used twice). Its token answers can
// be altered for the negative cases: ID token claims changed and signed
// again, with its own key or with a stranger's.
type provider struct {
	*mockoidc.MockOIDC
	mu       sync.Mutex
	tamper   func(claims map[string]any)
	strange  bool // sign with a key the provider does not publish
	stranger *rsa.PrivateKey
}

func startProvider(t *testing.T) *provider {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	p := &provider{MockOIDC: m}
	if err := m.AddMiddleware(p.rewriteTokens); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	return p
}

// next makes the next authorization sign this person in, with a fresh
// code.
func (p *provider) next(who person) {
	p.QueueUser(who)
	p.QueueCode(base64.RawURLEncoding.EncodeToString([]byte(who.Subject + ":" + rand.Text())))
}

// alter makes the token endpoint change the ID token's claims; strange
// signs it with a key the provider never published.
func (p *provider) alter(t *testing.T, tamper func(map[string]any), strange bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tamper, p.strange = tamper, strange
	if strange && p.stranger == nil {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		p.stranger = k
	}
}

func (p *provider) rewriteTokens(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		tamper, strange, stranger := p.tamper, p.strange, p.stranger
		p.mu.Unlock()
		if r.URL.Path != mockoidc.TokenEndpoint || (tamper == nil && !strange) {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var body map[string]any
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &body) != nil || body["id_token"] == nil {
			copyResponse(w, rec)
			return
		}
		parts := strings.Split(body["id_token"].(string), ".")
		payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
		var claims map[string]any
		json.Unmarshal(payload, &claims)
		if tamper != nil {
			tamper(claims)
		}
		key := p.Keypair.PrivateKey
		if strange {
			key = stranger
		}
		kid, _ := p.Keypair.KeyID()
		signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
			(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid))
		if err != nil {
			panic(err)
		}
		raw, _ := json.Marshal(claims)
		sig, err := signer.Sign(raw)
		if err != nil {
			panic(err)
		}
		body["id_token"], _ = sig.CompactSerialize()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(body)
	})
}

func copyResponse(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	io.Copy(w, bytes.NewReader(rec.Body.Bytes()))
}

// rules are the test's role rules.
const rules = "amends-admins=admin,sre=sre,staff=viewer"

// oidcServer is amends on a loopback port with the provider configured,
// on a fresh fixture.
type oidcServer struct {
	URL  string
	srv  *server.Server
	f    *testdb.Fixture
	logs *lockedWriter
	idp  *provider
}

func startOIDCServer(t *testing.T, idp *provider, cfg server.Config) *oidcServer {
	t.Helper()
	f := testdb.NewFixture(t, testdb.SQLite(t))
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	r, err := sso.ParseRules(rules)
	if err != nil {
		t.Fatal(err)
	}
	c, err := sso.New(sso.Config{Issuer: idp.Issuer(), ClientID: idp.ClientID, ClientSecret: idp.ClientSecret,
		RedirectURL: base + "/login/oidc/callback", Scopes: []string{"openid", "profile", "email", "groups"},
		Rules: r, Name: "Test IdP"}, f.Store)
	if err != nil {
		t.Fatal(err)
	}
	cfg.BaseURL, cfg.OIDC = base, c
	logs := &lockedWriter{}
	srv, err := server.New(cfg, f.Store, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv.Handler()
	ts.Start()
	t.Cleanup(ts.Close)
	return &oidcServer{URL: base, srv: srv, f: f, logs: logs, idp: idp}
}

// lockedWriter lets the server's goroutines log into one buffer.
type lockedWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(b)
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// handler is amends without the network, for requests a test builds.
func (s *oidcServer) handler() http.Handler { return s.srv.Handler() }
