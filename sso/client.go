package sso

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Config is the operator's settings for one provider.
type Config struct {
	Issuer       string // AMENDS_OIDC_ISSUER, discovery starts there
	ClientID     string
	ClientSecret string
	// RedirectURL is amends's callback, AMENDS_BASE_URL + "/login/oidc/callback".
	RedirectURL string
	// Scopes asked for; "openid" is always among them.
	Scopes []string
	// RoleClaim names the ID token claim holding the person's groups or
	// roles; dots reach into objects ("realm_access.roles").
	RoleClaim string
	Rules     Rules
	// Name is shown on the button, "Sign in with <Name>".
	Name string
	// HTTPClient talks to the provider; nil is a client with a 10 s
	// timeout.
	HTTPClient *http.Client
}

// DefaultScopes are asked for when the operator names none.
var DefaultScopes = []string{oidc.ScopeOpenID, "profile", "email"}

// Secrets keeps the key that seals flow cookies, the same on every
// replica (models.Store).
type Secrets interface {
	SharedSecret(ctx context.Context, key string) ([]byte, error)
}

// flowSecret is the setting holding the flow cookies' key.
const flowSecret = "oidc_flow_secret"

// Timeouts that bound each step: a provider that hangs ends in a page
// saying so, not in a request that never ends.
const (
	discoveryTimeout = 10 * time.Second
	callbackTimeout  = 15 * time.Second
)

// Client signs people in through one provider. Discovery happens at the
// first sign-in, not at start-up, so that amends starts while the
// provider is down; a failed discovery is tried again at the next.
type Client struct {
	cfg     Config
	secrets Secrets
	http    *http.Client

	mu    sync.Mutex
	ready *discovered
}

type discovered struct {
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	sealer   *sealer
}

// New checks the settings; it does not reach the provider.
func New(cfg Config, secrets Secrets) (*Client, error) {
	u, err := url.Parse(cfg.Issuer)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("the issuer must be an absolute http(s) URL, got %q", cfg.Issuer)
	}
	if cfg.ClientID == "" {
		return nil, errors.New("a client id is needed")
	}
	if len(cfg.Rules) == 0 {
		return nil, errors.New("at least one role rule is needed")
	}
	if cfg.RoleClaim == "" {
		cfg.RoleClaim = "groups"
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = DefaultScopes
	}
	if !slices.Contains(cfg.Scopes, oidc.ScopeOpenID) {
		cfg.Scopes = append([]string{oidc.ScopeOpenID}, cfg.Scopes...)
	}
	if cfg.Name == "" {
		cfg.Name = u.Hostname()
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: discoveryTimeout}
	}
	return &Client{cfg: cfg, secrets: secrets, http: hc}, nil
}

// Name is the provider's name for the sign-in button.
func (c *Client) Name() string { return c.cfg.Name }

// Issuer is the provider's issuer URL.
func (c *Client) Issuer() string { return c.cfg.Issuer }

// setup discovers the provider once, and loads the flow key.
func (c *Client) setup(ctx context.Context) (*discovered, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ready != nil {
		return c.ready, nil
	}
	secret, err := c.secrets.SharedSecret(ctx, flowSecret)
	if err != nil {
		return nil, fmt.Errorf("load the sign-in flow key: %w", err)
	}
	s, err := newSealer(secret)
	if err != nil {
		return nil, err
	}
	dctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, c.http), discoveryTimeout)
	defer cancel()
	p, err := oidc.NewProvider(dctx, c.cfg.Issuer)
	if err != nil {
		return nil, &Failure{Status: http.StatusBadGateway, Err: fmt.Errorf("discovery at %s: %w", c.cfg.Issuer, err),
			Message: fmt.Sprintf("%s could not be reached. Try again in a moment, or ask an administrator of amends.", c.cfg.Name)}
	}
	c.ready = &discovered{
		oauth: oauth2.Config{ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret, Endpoint: p.Endpoint(),
			RedirectURL: c.cfg.RedirectURL, Scopes: c.cfg.Scopes},
		verifier: p.Verifier(&oidc.Config{ClientID: c.cfg.ClientID}),
		sealer:   s,
	}
	return c.ready, nil
}

// Begin starts a sign-in: it returns the provider's URL to send the
// browser to, and the sealed flow for the browser's cookie. next is where
// to go afterwards, already checked to be on this site.
func (c *Client) Begin(ctx context.Context, next string) (authURL, cookie string, err error) {
	d, err := c.setup(ctx)
	if err != nil {
		return "", "", err
	}
	f := flow{State: randomString(), Nonce: randomString(), Verifier: oauth2.GenerateVerifier(), Next: next,
		Expires: time.Now().Add(FlowTTL).Unix()}
	if cookie, err = d.sealer.seal(f); err != nil {
		return "", "", err
	}
	return d.oauth.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)), cookie, nil
}
