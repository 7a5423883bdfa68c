package server_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/server"
	"github.com/amendsdev/amends/sync/ghfake"
	"github.com/amendsdev/amends/sync/ghsync"
)

const hookSecret = "s3cret"

// newGitHubEnv is newEnv with the GitHub sync on, against a fake GitHub.
func newGitHubEnv(t *testing.T) (*env, *ghfake.Server, *ghsync.Syncer) {
	t.Helper()
	fake := ghfake.New(t)
	f := testdb.NewFixture(t, testdb.SQLite(t))
	sy, err := ghsync.New(f.Store, ghsync.Options{
		Config: ghsync.Config{Token: "token", APIURL: fake.URL}, WebhookSecret: hookSecret, BaseURL: "https://amends.example",
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sy.Wait)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := server.New(server.Config{Addr: ":0", GitHub: sy}, f.Store, log)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, srv: srv, f: f}, fake, sy
}

func TestGitHubLinkPushAndStatusOverHTTP(t *testing.T) {
	e, fake, sy := newGitHubEnv(t)
	n := fake.CreateIssue("acme/ops", ghfake.NewIssue{Title: "Add alert"})
	path := "/api/v1/action-items/" + id(e.f.ProviderItemA.ID)
	res := e.do("POST", path+"/github", e.f.SRE.Email, map[string]any{"issue_url": fake.URL + "/acme/ops/issues/" + id(uint(n))})
	if res.Status != 200 {
		t.Fatalf("link: %d %s", res.Status, res.Body)
	}
	gh, _ := res.json(t)["github"].(map[string]any)
	if gh["repo"] != "acme/ops" || gh["number"] != float64(n) || gh["synced_at"] == nil {
		t.Errorf("github view %v", gh)
	}
	if res := e.do("PATCH", path, e.f.SRE.Email, map[string]any{"status": "done"}); res.Status != 200 {
		t.Fatalf("patch: %d %s", res.Status, res.Body)
	}
	sy.Wait()
	if st, _ := fake.Issue("acme/ops", n); st.State != "closed" || st.StateReason != "completed" {
		t.Errorf("issue %s/%s after the item was set done", st.State, st.StateReason)
	}
	// A customer sees only whether the issue is closed.
	cust := e.do("GET", path, e.f.CustA.Email, nil).json(t)
	if cust["issue_closed"] != true || cust["github"] != nil || cust["github_url"] != nil {
		t.Errorf("customer view %v", cust)
	}
	sy.RunOnce(t.Context())
	st := e.do("GET", "/api/v1/github/status", e.f.Viewer.Email, nil)
	body := st.json(t)
	if st.Status != 200 || body["enabled"] != true || body["last_success_at"] == nil {
		t.Errorf("status: %d %s", st.Status, st.Body)
	}
	un := e.do("DELETE", path+"/github", e.f.SRE.Email, nil)
	if v := un.json(t); un.Status != 200 || v["github"] != nil || v["github_url"] != "" {
		t.Errorf("unlink: %d %s", un.Status, un.Body)
	}
}

func TestGitHubDisabled(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	res := e.do("POST", "/api/v1/action-items/"+id(e.f.ProviderItemA.ID)+"/github", e.f.SRE.Email, map[string]any{"create": true, "repo": "acme/ops"})
	if code, _ := res.apiError(t); res.Status != 422 || code != "github_disabled" {
		t.Errorf("link without a token: %d %s", res.Status, res.Body)
	}
	if body := e.do("GET", "/api/v1/github/status", e.f.SRE.Email, nil).json(t); body["enabled"] != false || body["message"] == "" {
		t.Errorf("status without a token: %v", body)
	}
}

func TestGitHubWebhookOverHTTP(t *testing.T) {
	e, fake, sy := newGitHubEnv(t)
	body, err := os.ReadFile("../sync/ghsync/testdata/issues.closed.json")
	if err != nil {
		t.Fatal(err)
	}
	ping, _ := os.ReadFile("../sync/ghsync/testdata/ping.json")
	cases := []struct {
		name, event, delivery, sig string
		body                       []byte
		want                       int
	}{
		{"unsigned", "issues", "a", "", body, 401},
		{"bad signature", "issues", "a", signHook("other", body), body, 401},
		{"ping", "ping", "p", signHook(hookSecret, ping), ping, 200},
		{"untracked issue", "issues", "b", signHook(hookSecret, body), body, 200},
		{"tracked issue", "issues", "c", signHook(hookSecret, body), body, 202},
		{"redelivered", "issues", "c", signHook(hookSecret, body), body, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "tracked issue" {
				n := fake.CreateIssue("Codertocat/Hello-World", ghfake.NewIssue{Title: "Spelling"})
				if _, err := sy.Link(t.Context(), e.f.SRE, e.f.ProviderItemA.ID, models.GitHubLinkInput{IssueURL: "Codertocat/Hello-World#" + id(uint(n))}); err != nil {
					t.Fatal(err)
				}
			}
			req := httptest.NewRequest("POST", "/webhooks/github", bytes.NewReader(tc.body))
			req.Header.Set("X-GitHub-Event", tc.event)
			req.Header.Set("X-GitHub-Delivery", tc.delivery)
			if tc.sig != "" {
				req.Header.Set("X-Hub-Signature-256", tc.sig)
			}
			rec := httptest.NewRecorder()
			e.srv.Handler().ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Errorf("status %d, want %d: %s", rec.Code, tc.want, rec.Body)
			}
		})
	}
	sy.Wait()
}

func signHook(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

func TestGitHubOnTheItemPage(t *testing.T) {
	e, fake, _ := newGitHubEnv(t)
	n := fake.CreateIssue("acme/ops", ghfake.NewIssue{Title: "Add alert", Assignees: []string{"octocat"}})
	path := "/items/" + id(e.f.ProviderItemA.ID)
	res := e.page("POST", path+"/github", e.f.SRE.Email, url.Values{"issue_url": {"acme/ops#" + id(uint(n))}})
	if res.Status != 303 {
		t.Fatalf("link form: %d %s", res.Status, res.Body)
	}
	page := e.page("GET", path, e.f.SRE.Email, nil)
	for _, want := range []string{"acme/ops#" + id(uint(n)), "assigned to octocat", "Last synced", `action="` + path + `/github"`} {
		if !strings.Contains(string(page.Body), want) {
			t.Errorf("item page misses %q", want)
		}
	}
	created := e.page("POST", path+"/github", e.f.SRE.Email, url.Values{"repo": {"acme/ops"}})
	if created.Status != 303 {
		t.Fatalf("create form: %d", created.Status)
	}
	if _, ok := fake.Issue("acme/ops", n+1); !ok {
		t.Error("the create form made no issue")
	}
}
