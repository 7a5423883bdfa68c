package ghfake_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/amendsdev/amends/sync/ghfake"
)

// TestIssueJSONShape checks that every field of a real issue object from a
// GitHub delivery is present in the fake's JSON with the same JSON kind.
func TestIssueJSONShape(t *testing.T) {
	raw, err := os.ReadFile("../ghsync/testdata/issues.closed.json")
	if err != nil {
		t.Fatal(err)
	}
	var delivery struct {
		Issue map[string]any `json:"issue"`
	}
	if err := json.Unmarshal(raw, &delivery); err != nil {
		t.Fatal(err)
	}
	s := ghfake.New(t)
	n := s.CreateIssue(testRepo, ghfake.NewIssue{Title: "Rotate certs", Body: "b", Labels: []string{"bug"}, Assignees: []string{"octo"}})
	s.CloseIssue(testRepo, n, "completed")
	resp := rawGet(t, s.URL+"/repos/acme/infra/issues/1", nil)
	var got map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	for key, want := range delivery.Issue {
		t.Run(key, func(t *testing.T) {
			value, ok := got[key]
			switch {
			case key == "draft":
				// Webhook deliveries carry draft on issues; the REST API only on pull requests.
			case !ok:
				t.Errorf("field %q missing", key)
			case want != nil && value != nil && kind(want) != kind(value):
				t.Errorf("field %q is %s, GitHub sends %s", key, kind(value), kind(want))
			}
		})
	}
}

func kind(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	case []any:
		return "array"
	default:
		return "object"
	}
}

func TestListPaginatesWithLinkHeaders(t *testing.T) {
	s := ghfake.New(t)
	for range 70 {
		s.CreateIssue(testRepo, ghfake.NewIssue{Title: "issue"})
	}
	for range 5 {
		s.CreatePullRequest(testRepo, ghfake.NewIssue{Title: "pr"})
	}
	c := client(t, s, "")
	opts := &github.IssueListByRepoOptions{State: "all", ListOptions: github.ListOptions{PerPage: 30}}
	type pageLinks struct{ first, prev, next, last, items int }
	var pages []pageLinks
	var pulls int
	for {
		got, resp, err := c.Issues.ListByRepo(context.Background(), "acme", "infra", opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, is := range got {
			if is.IsPullRequest() {
				pulls++
			}
		}
		pages = append(pages, pageLinks{resp.FirstPage, resp.PrevPage, resp.NextPage, resp.LastPage, len(got)})
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	want := []pageLinks{{0, 0, 2, 3, 30}, {1, 1, 3, 3, 30}, {1, 2, 0, 0, 15}}
	if !slices.Equal(pages, want) {
		t.Errorf("pages = %+v, want %+v", pages, want)
	}
	if pulls != 5 {
		t.Errorf("pull requests listed = %d, want 5", pulls)
	}
}

func TestListFilters(t *testing.T) {
	s := ghfake.New(t)
	clock := s.Clock()
	start := clock.Now()
	for i := range 4 {
		s.CreateIssue(testRepo, ghfake.NewIssue{Title: "issue"})
		if i < 3 {
			clock.Advance(time.Minute)
		}
	}
	s.CloseIssue(testRepo, 2, "not_planned") // updated at start+3m, like issue 4
	scenarios := []struct {
		name string
		opts github.IssueListByRepoOptions
		want []int
	}{
		{"open by default, newest created first", github.IssueListByRepoOptions{}, []int{4, 3, 1}},
		{"closed only", github.IssueListByRepoOptions{State: "closed"}, []int{2}},
		{"since is inclusive on updated_at", github.IssueListByRepoOptions{State: "all", Since: start.Add(2 * time.Minute)}, []int{4, 3, 2}},
		{"since after every update", github.IssueListByRepoOptions{State: "all", Since: start.Add(time.Hour)}, nil},
		{"updated ascending", github.IssueListByRepoOptions{State: "all", Sort: "updated", Direction: "asc"}, []int{1, 3, 2, 4}},
		{"per_page above 100 is capped", github.IssueListByRepoOptions{State: "all", ListOptions: github.ListOptions{PerPage: 500}}, []int{4, 3, 2, 1}},
	}
	c := client(t, s, "")
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			got, _, err := c.Issues.ListByRepo(context.Background(), "acme", "infra", &sc.opts)
			if err != nil {
				t.Fatal(err)
			}
			var numbers []int
			for _, is := range got {
				numbers = append(numbers, is.GetNumber())
			}
			if !slices.Equal(numbers, sc.want) {
				t.Errorf("numbers = %v, want %v", numbers, sc.want)
			}
		})
	}
}

func TestListRejectsBadParameters(t *testing.T) {
	s := ghfake.New(t)
	s.CreateRepo(testRepo)
	scenarios := []struct {
		query string
		want  int
	}{
		{"?state=all", http.StatusOK},
		{"?state=merged", http.StatusUnprocessableEntity},
		{"?since=yesterday", http.StatusUnprocessableEntity},
		{"?direction=up", http.StatusUnprocessableEntity},
	}
	for _, sc := range scenarios {
		t.Run(sc.query, func(t *testing.T) {
			if got := rawGet(t, s.URL+"/repos/acme/infra/issues"+sc.query, nil).StatusCode; got != sc.want {
				t.Errorf("status = %d, want %d", got, sc.want)
			}
		})
	}
	if got := rawGet(t, s.URL+"/repos/acme/nothing/issues", nil).StatusCode; got != http.StatusNotFound {
		t.Errorf("unknown repository: status = %d, want 404", got)
	}
}
