package ghfake_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/amendsdev/amends/sync/ghfake"
)

func TestGetIssueAnswersLikeGitHub(t *testing.T) {
	s := ghfake.New(t)
	live := s.CreateIssue(testRepo, ghfake.NewIssue{Title: "live"})
	deleted := s.CreateIssue(testRepo, ghfake.NewIssue{Title: "deleted"})
	s.Delete(testRepo, deleted)
	moved := s.CreateIssue(testRepo, ghfake.NewIssue{Title: "moved"})
	newNumber := s.Transfer(testRepo, moved, "acme/platform")
	scenarios := []struct {
		name     string
		path     string
		status   int
		location string
	}{
		{"live issue", "/repos/acme/infra/issues/1", http.StatusOK, ""},
		{"owner and name are case-insensitive", "/repos/ACME/Infra/issues/1", http.StatusOK, ""},
		{"unknown number", "/repos/acme/infra/issues/99", http.StatusNotFound, ""},
		{"unknown repository", "/repos/acme/nope/issues/1", http.StatusNotFound, ""},
		{"deleted issue", "/repos/acme/infra/issues/2", http.StatusGone, ""},
		{"transferred issue", "/repos/acme/infra/issues/3", http.StatusMovedPermanently, s.URL + "/repos/acme/platform/issues/1"},
		{"comments of a transferred issue", "/repos/acme/infra/issues/3/comments?page=2", http.StatusMovedPermanently, s.URL + "/repos/acme/platform/issues/1/comments?page=2"},
		{"enterprise prefix keeps its redirect", "/api/v3/repos/acme/infra/issues/3", http.StatusMovedPermanently, s.URL + "/api/v3/repos/acme/platform/issues/1"},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			resp := rawGet(t, s.URL+sc.path, nil)
			if resp.StatusCode != sc.status {
				t.Errorf("status = %d, want %d", resp.StatusCode, sc.status)
			}
			if got := resp.Header.Get("Location"); got != sc.location {
				t.Errorf("Location = %q, want %q", got, sc.location)
			}
		})
	}
	if live != 1 || newNumber != 1 {
		t.Fatalf("numbers: live %d, transferred %d", live, newNumber)
	}

	t.Run("go-github follows the redirect to the new repository", func(t *testing.T) {
		is, _, err := client(t, s, "").Issues.Get(context.Background(), "acme", "infra", moved)
		if err != nil {
			t.Fatal(err)
		}
		if is.GetRepositoryURL() != s.URL+"/repos/acme/platform" || is.GetTitle() != "moved" {
			t.Errorf("got %s %q", is.GetRepositoryURL(), is.GetTitle())
		}
	})
	t.Run("go-github sees 410 for a deleted issue", func(t *testing.T) {
		_, _, err := client(t, s, "").Issues.Get(context.Background(), "acme", "infra", deleted)
		if statusOf(err) != http.StatusGone {
			t.Errorf("err = %v, want 410", err)
		}
	})
}

func TestListHidesDeletedAndTransferred(t *testing.T) {
	s := ghfake.New(t)
	for range 3 {
		s.CreateIssue(testRepo, ghfake.NewIssue{Title: "x"})
	}
	s.Delete(testRepo, 1)
	s.Transfer(testRepo, 2, "acme/platform")
	c := client(t, s, "")
	scenarios := []struct {
		repo string
		want int
	}{{"infra", 1}, {"platform", 1}}
	for _, sc := range scenarios {
		t.Run(sc.repo, func(t *testing.T) {
			got, _, err := c.Issues.ListByRepo(context.Background(), "acme", sc.repo, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != sc.want {
				t.Errorf("listed %d, want %d", len(got), sc.want)
			}
		})
	}
}

func TestEnterprisePrefix(t *testing.T) {
	s := ghfake.New(t)
	s.CreateIssue(testRepo, ghfake.NewIssue{Title: "x"})
	is, _, err := client(t, s, "/api/v3").Issues.Get(context.Background(), "acme", "infra", 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := s.URL + "/api/v3/repos/acme/infra/issues/1"; is.GetURL() != want {
		t.Errorf("url = %q, want %q", is.GetURL(), want)
	}
	if want := s.URL + "/acme/infra/issues/1"; is.GetHTMLURL() != want {
		t.Errorf("html_url = %q, want %q", is.GetHTMLURL(), want)
	}
	if got := s.Stats().ByPath["/repos/acme/infra/issues/1"]; got != 1 {
		t.Errorf("requests counted under the unprefixed path = %d, want 1", got)
	}
}
