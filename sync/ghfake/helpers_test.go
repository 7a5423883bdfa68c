package ghfake_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-github/v60/github"

	"github.com/amendsdev/amends/sync/ghfake"
)

const testRepo = "acme/infra"

// client points the real go-github client at the fake, as amends does.
func client(t *testing.T, s *ghfake.Server, prefix string) *github.Client {
	t.Helper()
	c := github.NewClient(nil).WithAuthToken("token-a")
	base, err := url.Parse(s.URL + prefix + "/")
	if err != nil {
		t.Fatal(err)
	}
	c.BaseURL = base
	return c
}

// rawGet sends a GET without following redirects, to see GitHub's own answer.
func rawGet(t *testing.T, u string, header http.Header) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header = header
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func statusOf(err error) int {
	if e, ok := err.(*github.ErrorResponse); ok {
		return e.Response.StatusCode
	}
	return 0
}
