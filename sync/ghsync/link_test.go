package ghsync_test

import (
	"github.com/amendsdev/amends/models/database"

	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/sync/ghfake"
)

func TestLinkExistingIssue(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		open := w.fake.CreateIssue("Acme/Ops", ghfake.NewIssue{Title: "Add alert", Assignees: []string{"octocat"}})
		closed := w.fake.CreateIssue("Acme/Ops", ghfake.NewIssue{Title: "Old"})
		w.fake.CloseIssue("Acme/Ops", closed, "not_planned")
		gone := w.fake.CreateIssue("Acme/Ops", ghfake.NewIssue{Title: "Gone"})
		w.fake.Delete("Acme/Ops", gone)
		moved := w.fake.CreateIssue("Acme/Ops", ghfake.NewIssue{Title: "Moved"})
		movedTo := w.fake.Transfer("Acme/Ops", moved, "acme/platform")
		pull := w.fake.CreatePullRequest("Acme/Ops", ghfake.NewIssue{Title: "PR"})

		cases := []struct {
			name, url          string
			wantRepo, wantCode string
			wantNumber         int
			wantState          string
		}{
			{"web URL", w.fake.URL + "/Acme/Ops/issues/" + itoa(open), "acme/ops", "", open, "open"},
			{"short form", "acme/ops#" + itoa(closed), "acme/ops", "", closed, "closed"},
			{"transferred follows", "acme/ops#" + itoa(moved), "acme/platform", "", movedTo, "open"},
			{"deleted", "acme/ops#" + itoa(gone), "", "github_issue_deleted", 0, ""},
			{"unknown", "acme/ops#999", "", "github_issue_not_found", 0, ""},
			{"pull request", "acme/ops#" + itoa(pull), "", "validation", 0, ""},
			{"garbage", "not an issue", "", "validation", 0, ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				it, err := w.sy.Link(w.ctx, w.f.SRE, w.f.ProviderItemA.ID, models.GitHubLinkInput{IssueURL: tc.url})
				if tc.wantCode != "" {
					assertCode(t, err, tc.wantCode)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if it.GitHubRepo != tc.wantRepo || it.GitHubNumber != tc.wantNumber || it.GitHubState != tc.wantState {
					t.Errorf("linked to %s#%d (%s), want %s#%d (%s)", it.GitHubRepo, it.GitHubNumber, it.GitHubState, tc.wantRepo, tc.wantNumber, tc.wantState)
				}
				if it.GitHubSyncedAt == nil || it.GitHubUpdatedAt == nil || !strings.Contains(it.GitHubURL, "/issues/") {
					t.Errorf("sync fields not set: %+v", it)
				}
			})
		}
		if got := w.item(w.f.ProviderItemA.ID); got.Status != models.StatusOpen {
			t.Errorf("linking changed the status to %s", got.Status)
		}
		if len(fieldEvents(w.events(w.f.ProviderItemA.ID, w.f.SRE.Email), "github_url")) != 3 {
			t.Errorf("want 3 github_url events by the SRE, got %+v", w.events(w.f.ProviderItemA.ID, ""))
		}
	})
}

func TestLinkRefusals(t *testing.T) {
	w := newWorld(t, testdb.SQLite(t))
	_, err := w.sy.Link(w.ctx, w.f.CustA, w.f.CustomerItemA.ID, models.GitHubLinkInput{IssueURL: "acme/ops#1"})
	if !errors.Is(err, models.ErrNotFound) {
		t.Errorf("customer: %v, want not found", err)
	}
	_, err = w.sy.Link(w.ctx, w.f.Viewer, w.f.ProviderItemA.ID, models.GitHubLinkInput{IssueURL: "acme/ops#1"})
	if !errors.Is(err, models.ErrForbidden) {
		t.Errorf("viewer: %v, want forbidden", err)
	}
	_, err = w.sy.Link(w.ctx, w.f.SRE, w.f.ProviderItemA.ID, models.GitHubLinkInput{IssueURL: "acme/ops#1", Create: true, Repo: "acme/ops"})
	assertCode(t, err, "validation")
	_, err = w.sy.Link(w.ctx, w.f.SRE, w.f.ProviderItemA.ID, models.GitHubLinkInput{})
	assertCode(t, err, "validation")
}

func TestCreateIssueFromItem(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		w.fake.CreateRepo(testRepo)
		id := w.f.ProviderItemA.ID
		it, err := w.sy.Link(w.ctx, w.f.SRE, id, models.GitHubLinkInput{Create: true, Repo: testRepo})
		if err != nil {
			t.Fatal(err)
		}
		is, ok := w.fake.Issue(testRepo, it.GitHubNumber)
		if !ok {
			t.Fatalf("no issue %d on the fake", it.GitHubNumber)
		}
		src := w.f.ProviderItemA
		if is.Title != src.Title || !strings.Contains(is.Body, "https://amends.example/items/"+itoa(int(id))) ||
			!strings.Contains(is.Body, "https://amends.example/postmortems/"+itoa(int(src.PostmortemID))) {
			t.Errorf("issue title %q body %q: want the item's title and links back", is.Title, is.Body)
		}
		want := []string{"priority:" + src.Priority, "type:" + src.Type}
		if strings.Join(is.Labels, ",") != strings.Join(want, ",") {
			t.Errorf("labels %v, want %v", is.Labels, want)
		}
		again, err := w.sy.Link(w.ctx, w.f.SRE, id, models.GitHubLinkInput{Create: true, Repo: testRepo})
		if err != nil || again.GitHubNumber != it.GitHubNumber {
			t.Fatalf("second create: %v, issue %d, want the same issue %d", err, again.GitHubNumber, it.GitHubNumber)
		}
		if _, ok := w.fake.Issue(testRepo, it.GitHubNumber+1); ok {
			t.Error("a second create made a second issue")
		}
	})
}

// TestCreateRetriedAfterLostAnswer: GitHub made the issue but the answer
// never arrived; the retry must find it by its marker, not make another.
func TestCreateRetriedAfterLostAnswer(t *testing.T) {
	w := newWorld(t, testdb.SQLite(t))
	w.fake.CreateRepo(testRepo)
	w.fake.CreateIssue(testRepo, ghfake.NewIssue{Title: "someone else's"})
	lose := true
	w.fake.OnRequest(func(rw http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/issues") || !lose {
			return false
		}
		lose = false
		var in struct {
			Title, Body string
			Labels      []string
		}
		_ = json.NewDecoder(r.Body).Decode(&in)
		w.fake.CreateIssue(testRepo, ghfake.NewIssue{Title: in.Title, Body: in.Body, Labels: in.Labels})
		rw.WriteHeader(http.StatusBadGateway)
		return true
	})
	id := w.f.ProviderItemA.ID
	_, err := w.sy.Link(w.ctx, w.f.SRE, id, models.GitHubLinkInput{Create: true, Repo: testRepo})
	assertCode(t, err, "github_unavailable")
	if got := w.item(id); got.GitHubRepo != "" {
		t.Fatalf("failed create linked the item to %s", got.GitHubRepo)
	}
	it, err := w.sy.Link(w.ctx, w.f.SRE, id, models.GitHubLinkInput{Create: true, Repo: testRepo})
	if err != nil {
		t.Fatal(err)
	}
	if it.GitHubNumber != 2 {
		t.Errorf("retry linked issue %d, want 2, the one the lost answer made", it.GitHubNumber)
	}
	if _, ok := w.fake.Issue(testRepo, 3); ok {
		t.Error("the retry made a second issue")
	}
}

func assertCode(t *testing.T, err error, code string) {
	t.Helper()
	var rule *models.RuleError
	var verr *models.ValidationError
	switch {
	case code == "validation" && errors.As(err, &verr):
	case errors.As(err, &rule) && rule.Code == code:
	default:
		t.Errorf("error %v, want %s", err, code)
	}
}
