// Package ghsync keeps amends action items in step with GitHub issues. This
// part is the plumbing that needs no database: the configured go-github
// client, conditional requests, rate-limit handling, issue references,
// webhook intake and the mapping between issue states and item statuses.
package ghsync

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
)

// ErrNoToken means no token is configured. Without one GitHub allows 60
// requests an hour and no private repository, so the sync is off rather
// than half working.
var ErrNoToken = errors.New("ghsync: no GitHub token configured, GitHub sync is off")

// defaultTimeout bounds one request, so a GitHub outage fails a pass instead
// of hanging it.
const defaultTimeout = 30 * time.Second

const maxRedirects = 10

// Config says how to reach GitHub.
type Config struct {
	Token string
	// APIURL is the REST API base, used exactly as given: empty for
	// github.com, https://ghe.example.com/api/v3 for GitHub Enterprise
	// Server, or the root of any GitHub-compatible server.
	APIURL string
	// HTTPClient is copied, never changed; nil means a client with a
	// 30-second timeout.
	HTTPClient *http.Client
	// Cache, when set, turns repeated GETs into conditional requests.
	Cache *ETagCache
	// Limits, when set, sees every response's rate-limit headers.
	Limits *RateGuard
}

// NewClient builds the go-github client amends uses. The transports run, from
// the outside in: the token, the rate-limit observer, the ETag cache, then
// cfg.HTTPClient's own transport. The cache so sees the Authorization header
// it keys on, and the observer sees the fresh headers of revalidated answers.
func NewClient(cfg Config) (*github.Client, error) {
	if cfg.Token == "" {
		return nil, ErrNoToken
	}
	c := github.NewClient(httpClient(cfg)).WithAuthToken(cfg.Token)
	if cfg.APIURL == "" {
		return c, nil
	}
	base, err := apiBase(cfg.APIURL)
	if err != nil {
		return nil, err
	}
	c.BaseURL, c.UploadURL = base, uploadBase(base)
	return c, nil
}

func httpClient(cfg Config) *http.Client {
	hc := &http.Client{Timeout: defaultTimeout}
	if cfg.HTTPClient != nil {
		copied := *cfg.HTTPClient
		hc = &copied
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	if cfg.Cache != nil {
		next = cfg.Cache.Wrap(next)
	}
	if cfg.Limits != nil {
		next = cfg.Limits.Wrap(next)
	}
	hc.Transport = next
	if hc.CheckRedirect == nil {
		hc.CheckRedirect = followReadsOnly
	}
	return hc
}

// followReadsOnly follows redirects for reads only. GitHub answers 301 for
// a transferred issue, and Go's client would turn a PATCH into a GET of the
// new address and report success without writing anything; a write must
// see the 301 itself (see IssueMoved).
func followReadsOnly(req *http.Request, via []*http.Request) error {
	if m := via[0].Method; m != http.MethodGet && m != http.MethodHead {
		return http.ErrUseLastResponse
	}
	if len(via) >= maxRedirects {
		return fmt.Errorf("ghsync: stopped after %d redirects at %s", maxRedirects, req.URL.Redacted())
	}
	return nil
}

// apiBase keeps the configured path exactly. go-github's WithEnterpriseURLs
// appends /api/v3/ to any URL not ending in it, which breaks servers that
// serve the API at their root (and doubles it on a typo'd Enterprise URL);
// an Enterprise URL therefore names /api/v3 itself, as GitHub documents.
func apiBase(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("ghsync: GitHub API URL %q: %w", raw, err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("ghsync: GitHub API URL %q: want an absolute http(s) URL such as https://ghe.example.com/api/v3", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("ghsync: GitHub API URL %q: want no credentials, query or fragment", u.Redacted())
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		u.RawPath = ""
	}
	return u, nil
}

// uploadBase is where Enterprise Server takes uploads; other servers take
// them at the API base.
func uploadBase(api *url.URL) *url.URL {
	up := *api
	if prefix, ok := strings.CutSuffix(up.Path, "/api/v3/"); ok {
		up.Path = prefix + "/api/uploads/"
	}
	return &up
}
