package ghsync_test

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/google/go-github/v60/github"

	"github.com/amendsdev/amends/sync/ghfake"
	"github.com/amendsdev/amends/sync/ghsync"
)

func TestNewClientBaseURL(t *testing.T) {
	scenarios := []struct {
		name, apiURL, base, upload string
	}{
		{"github.com when unset", "", "https://api.github.com/", "https://uploads.github.com/"},
		{"enterprise server", "https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3/", "https://ghe.example.com/api/uploads/"},
		{"enterprise server with slash", "https://ghe.example.com/api/v3/", "https://ghe.example.com/api/v3/", "https://ghe.example.com/api/uploads/"},
		{"compatible server at its root", "http://127.0.0.1:8080", "http://127.0.0.1:8080/", "http://127.0.0.1:8080/"},
		{"compatible server under a path", "https://git.example.com/api", "https://git.example.com/api/", "https://git.example.com/api/"},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			c, err := ghsync.NewClient(ghsync.Config{Token: "t", APIURL: sc.apiURL})
			if err != nil {
				t.Fatal(err)
			}
			if c.BaseURL.String() != sc.base || c.UploadURL.String() != sc.upload {
				t.Errorf("base %s upload %s, want %s and %s", c.BaseURL, c.UploadURL, sc.base, sc.upload)
			}
		})
	}
}

func TestNewClientRefuses(t *testing.T) {
	scenarios := []struct {
		name string
		cfg  ghsync.Config
	}{
		{"no scheme", ghsync.Config{Token: "t", APIURL: "ghe.example.com/api/v3"}},
		{"not http", ghsync.Config{Token: "t", APIURL: "ftp://ghe.example.com/api/v3"}},
		{"credentials in the URL", ghsync.Config{Token: "t", APIURL: "https://me:secret@ghe.example.com/api/v3"}},
		{"query", ghsync.Config{Token: "t", APIURL: "https://ghe.example.com/api/v3?x=1"}},
		{"unparsable", ghsync.Config{Token: "t", APIURL: "https://ghe.example.com/%zz"}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			if _, err := ghsync.NewClient(sc.cfg); err == nil {
				t.Error("accepted")
			}
		})
	}
	if _, err := ghsync.NewClient(ghsync.Config{APIURL: "https://ghe.example.com/api/v3"}); !errors.Is(err, ghsync.ErrNoToken) {
		t.Errorf("no token: err = %v, want ErrNoToken", err)
	}
}

// TestNewClientReachesTheFake checks both ways of naming a server: its root,
// and an Enterprise-style /api/v3 that must not become /api/v3/api/v3.
func TestNewClientReachesTheFake(t *testing.T) {
	fake := ghfake.New(t)
	fake.CreateIssue("acme/infra", ghfake.NewIssue{Title: "x"})
	var auth atomic.Value
	fake.OnRequest(func(_ http.ResponseWriter, r *http.Request) bool {
		auth.Store(r.Header.Get("Authorization"))
		return false
	})
	for _, prefix := range []string{"", "/api/v3", "/api/v3/"} {
		t.Run("prefix "+prefix, func(t *testing.T) {
			fake.ResetStats()
			c, err := ghsync.NewClient(ghsync.Config{Token: "s3cret", APIURL: fake.URL + prefix})
			if err != nil {
				t.Fatal(err)
			}
			is, _, err := c.Issues.Get(context.Background(), "acme", "infra", 1)
			if err != nil {
				t.Fatal(err)
			}
			if is.GetTitle() != "x" || fake.Stats().ByPath["/repos/acme/infra/issues/1"] != 1 {
				t.Errorf("title %q, stats %+v", is.GetTitle(), fake.Stats())
			}
			if got := auth.Load(); got != "Bearer s3cret" {
				t.Errorf("Authorization = %v", got)
			}
		})
	}
}

type countingTransport struct{ n atomic.Int32 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

func TestNewClientUsesButKeepsTheGivenHTTPClient(t *testing.T) {
	fake := ghfake.New(t)
	fake.CreateRepo("acme/infra")
	base := &countingTransport{}
	given := &http.Client{Transport: base}
	c, err := ghsync.NewClient(ghsync.Config{Token: "t", APIURL: fake.URL, HTTPClient: given, Cache: ghsync.NewETagCache(1 << 20)})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Issues.ListByRepo(context.Background(), "acme", "infra", nil); err != nil {
		t.Fatal(err)
	}
	if base.n.Load() != 1 || given.Transport != base || given.CheckRedirect != nil {
		t.Errorf("calls %d; given client changed: %+v", base.n.Load(), given)
	}
}

// TestTransferredAndDeleted checks what the sync sees of issues that left:
// reads follow GitHub's redirect, writes stop at it instead of silently
// turning into a read, and deleted issues answer 410.
func TestTransferredAndDeleted(t *testing.T) {
	fake := ghfake.New(t)
	moved := fake.CreateIssue("acme/infra", ghfake.NewIssue{Title: "moved"})
	gone := fake.CreateIssue("acme/infra", ghfake.NewIssue{Title: "gone"})
	fake.Transfer("acme/infra", moved, "acme/platform")
	fake.Delete("acme/infra", gone)
	c, err := ghsync.NewClient(ghsync.Config{Token: "t", APIURL: fake.URL + "/api/v3"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	want := ghsync.IssueRef{Owner: "acme", Repo: "platform", Number: 1}

	t.Run("read follows", func(t *testing.T) {
		is, _, err := c.Issues.Get(ctx, "acme", "infra", moved)
		if err != nil {
			t.Fatal(err)
		}
		if ref, err := ghsync.RefOf(is); err != nil || ref != want {
			t.Errorf("RefOf = %v, %v; want %v", ref, err, want)
		}
	})
	t.Run("close stops at the redirect", func(t *testing.T) {
		_, _, err := c.Issues.Edit(ctx, "acme", "infra", moved, &github.IssueRequest{State: github.String("closed")})
		if ref, ok := ghsync.IssueMoved(err); !ok || ref != want {
			t.Errorf("IssueMoved(%v) = %v, %v", err, ref, ok)
		}
		if st, _ := fake.Issue("acme/platform", 1); st.State != "open" {
			t.Errorf("the moved issue was closed through a redirect")
		}
	})
	t.Run("comment stops at the redirect", func(t *testing.T) {
		_, _, err := c.Issues.CreateComment(ctx, "acme", "infra", moved, &github.IssueComment{Body: github.String("done")})
		if ref, ok := ghsync.IssueMoved(err); !ok || ref != want {
			t.Errorf("IssueMoved(%v) = %v, %v", err, ref, ok)
		}
	})
	t.Run("deleted", func(t *testing.T) {
		_, _, err := c.Issues.Get(ctx, "acme", "infra", gone)
		if !ghsync.IssueGone(err) {
			t.Errorf("IssueGone(%v) = false", err)
		}
		if _, ok := ghsync.IssueMoved(err); ok {
			t.Error("a deleted issue reported as moved")
		}
	})
}
