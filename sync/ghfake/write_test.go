package ghfake_test

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/amendsdev/amends/sync/ghfake"
)

func TestCreateAndUpdateThroughTheAPI(t *testing.T) {
	s := ghfake.New(t)
	s.CreateRepo(testRepo)
	ctx := context.Background()
	c := client(t, s, "")
	created, resp, err := c.Issues.Create(ctx, "acme", "infra", &github.IssueRequest{
		Title: github.String("Add alert"), Body: github.String("from amends"),
		Labels: &[]string{"P1", "detect"}, Assignees: &[]string{"octo"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusCreated || created.GetUser().GetLogin() != ghfake.DefaultLogin || created.GetAssignee().GetLogin() != "octo" || len(created.Labels) != 2 {
		t.Fatalf("created = %d %+v", resp.StatusCode, created)
	}
	n := created.GetNumber()
	clock := s.Clock()
	scenarios := []struct {
		name          string
		req           github.IssueRequest
		state, reason string
		bumped        bool
	}{
		{"close as not planned", github.IssueRequest{State: github.String("closed"), StateReason: github.String("not_planned")}, "closed", "not_planned", true},
		{"closing again changes nothing", github.IssueRequest{State: github.String("closed"), StateReason: github.String("not_planned")}, "closed", "not_planned", false},
		{"change the reason of a closed issue", github.IssueRequest{StateReason: github.String("completed")}, "closed", "completed", true},
		{"reopen", github.IssueRequest{State: github.String("open")}, "open", "reopened", true},
		{"close without a reason means completed", github.IssueRequest{State: github.String("closed")}, "closed", "completed", true},
		{"rename", github.IssueRequest{Title: github.String("Add the alert")}, "closed", "completed", true},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			before, _ := s.Issue(testRepo, n)
			clock.Advance(time.Minute)
			got, _, err := c.Issues.Edit(ctx, "acme", "infra", n, &sc.req)
			if err != nil {
				t.Fatal(err)
			}
			if got.GetState() != sc.state || got.GetStateReason() != sc.reason {
				t.Errorf("state = %s/%s, want %s/%s", got.GetState(), got.GetStateReason(), sc.state, sc.reason)
			}
			if bumped := got.GetUpdatedAt().After(before.UpdatedAt); bumped != sc.bumped {
				t.Errorf("updated_at moved = %v, want %v", bumped, sc.bumped)
			}
		})
	}
}

func TestUpdateValidation(t *testing.T) {
	s := ghfake.New(t)
	n := s.CreateIssue(testRepo, ghfake.NewIssue{Title: "x"})
	c := client(t, s, "")
	scenarios := []struct {
		name string
		req  github.IssueRequest
	}{
		{"unknown state", github.IssueRequest{State: github.String("done")}},
		{"unknown state_reason", github.IssueRequest{State: github.String("closed"), StateReason: github.String("fixed")}},
		{"empty title", github.IssueRequest{Title: github.String("")}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			_, _, err := c.Issues.Edit(context.Background(), "acme", "infra", n, &sc.req)
			if statusOf(err) != http.StatusUnprocessableEntity {
				t.Errorf("err = %v, want 422", err)
			}
		})
	}
	_, _, err := c.Issues.Create(context.Background(), "acme", "infra", &github.IssueRequest{})
	if statusOf(err) != http.StatusUnprocessableEntity {
		t.Errorf("create without title: err = %v, want 422", err)
	}
}

func TestComments(t *testing.T) {
	s := ghfake.New(t)
	n := s.CreateIssue(testRepo, ghfake.NewIssue{Title: "x"})
	clock := s.Clock()
	s.AddComment(testRepo, n, "octo", "first")
	clock.Advance(time.Minute)
	cutoff := clock.Now()
	ctx := context.Background()
	c := client(t, s, "")
	posted, _, err := c.Issues.CreateComment(ctx, "acme", "infra", n, &github.IssueComment{Body: github.String("Closed from amends: done")})
	if err != nil {
		t.Fatal(err)
	}
	if want := s.URL + "/acme/infra/issues/1#issuecomment-"; posted.GetHTMLURL()[:len(want)] != want {
		t.Errorf("html_url = %q", posted.GetHTMLURL())
	}
	state, _ := s.Issue(testRepo, n)
	if !slices.Equal(state.Comments, []string{"first", "Closed from amends: done"}) || !state.UpdatedAt.Equal(cutoff) {
		t.Errorf("issue after comment = %+v", state)
	}
	all, _, err := c.Issues.ListComments(ctx, "acme", "infra", n, nil)
	if err != nil || len(all) != 2 {
		t.Fatalf("list: %d comments, err %v", len(all), err)
	}
	recent, _, err := c.Issues.ListComments(ctx, "acme", "infra", n, &github.IssueListCommentsOptions{Since: &cutoff})
	if err != nil || len(recent) != 1 || recent[0].GetBody() != "Closed from amends: done" {
		t.Fatalf("since: %v, err %v", recent, err)
	}
}

func TestSeedHelpersStampTheClock(t *testing.T) {
	s := ghfake.New(t)
	clock := s.Clock()
	n := s.CreateIssue(testRepo, ghfake.NewIssue{Title: "x"})
	scenarios := []struct {
		name  string
		apply func()
		check func(ghfake.IssueState) bool
	}{
		{"close", func() { s.CloseIssue(testRepo, n, "not_planned") }, func(is ghfake.IssueState) bool {
			return is.State == "closed" && is.StateReason == "not_planned" && is.ClosedAt.Equal(is.UpdatedAt)
		}},
		{"reopen", func() { s.Reopen(testRepo, n) }, func(is ghfake.IssueState) bool {
			return is.State == "open" && is.StateReason == "reopened" && is.ClosedAt.IsZero()
		}},
		{"title", func() { s.SetTitle(testRepo, n, "y") }, func(is ghfake.IssueState) bool { return is.Title == "y" }},
		{"assignee", func() { s.SetAssignee(testRepo, n, "octo") }, func(is ghfake.IssueState) bool {
			return slices.Equal(is.Assignees, []string{"octo"})
		}},
		{"unassign", func() { s.SetAssignee(testRepo, n, "") }, func(is ghfake.IssueState) bool { return len(is.Assignees) == 0 }},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			clock.Advance(time.Hour)
			sc.apply()
			is, _ := s.Issue(testRepo, n)
			if !sc.check(is) || !is.UpdatedAt.Equal(clock.Now().Truncate(time.Second)) {
				t.Errorf("issue = %+v", is)
			}
		})
	}
	t.Run("transfer and delete", func(t *testing.T) {
		moved := s.Transfer(testRepo, n, "acme/platform")
		old, _ := s.Issue(testRepo, n)
		if old.MovedTo != "acme/platform#1" || moved != 1 {
			t.Errorf("old = %+v, moved = %d", old, moved)
		}
		s.Delete("acme/platform", moved)
		if gone, _ := s.Issue("acme/platform", moved); !gone.Deleted {
			t.Errorf("deleted = %+v", gone)
		}
	})
}
