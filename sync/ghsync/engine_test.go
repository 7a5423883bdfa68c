package ghsync_test

import (
	"github.com/amendsdev/amends/models/database"

	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/sync/ghfake"
	"github.com/amendsdev/amends/sync/ghsync"
)

// TestPullByPolling: what happens on GitHub reaches the item through one pass.
func TestPullByPolling(t *testing.T) {
	cases := []struct {
		name       string
		start      string // item status before the change
		change     func(w *world, n int)
		wantStatus string
		wantState  string
	}{
		{"closed completed", models.StatusOpen, func(w *world, n int) { w.fake.CloseIssue(testRepo, n, "completed") }, models.StatusDone, "closed"},
		{"closed not planned", models.StatusInProgress, func(w *world, n int) { w.fake.CloseIssue(testRepo, n, "not_planned") }, models.StatusWontFix, "closed"},
		{"reopened", "", func(w *world, n int) {
			w.fake.CloseIssue(testRepo, n, "completed")
			w.pass()
			w.tick()
			w.fake.Reopen(testRepo, n)
		}, models.StatusOpen, "open"},
		{"title change keeps in_progress", models.StatusInProgress, func(w *world, n int) { w.fake.SetTitle(testRepo, n, "Renamed") }, models.StatusInProgress, "open"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			testdb.Run(t, func(t *testing.T, db *database.DB) {
				w := newWorld(t, db)
				it, n := w.linked("Add alert")
				if tc.start != "" {
					w.setStatus(it.ID, tc.start)
					w.tick()
				}
				tc.change(w, n)
				if res := w.pass(); res.Err != nil {
					t.Fatal(res.Err)
				}
				got := w.item(it.ID)
				if got.Status != tc.wantStatus || got.GitHubState != tc.wantState {
					t.Errorf("status %s, issue %s; want %s, %s", got.Status, got.GitHubState, tc.wantStatus, tc.wantState)
				}
				if st, _ := w.fake.Issue(testRepo, n); st.State != tc.wantState {
					t.Errorf("the pass changed the issue to %s", st.State)
				}
			})
		})
	}
}

func TestPullRecordsTitleAndAssignee(t *testing.T) {
	w := newWorld(t, testdb.SQLite(t))
	it, n := w.linked("Add alert")
	w.fake.SetTitle(testRepo, n, "Add paging alert")
	w.fake.SetAssignee(testRepo, n, "octocat")
	w.pass()
	got := w.item(it.ID)
	if got.GitHubTitle != "Add paging alert" || got.GitHubAssignees != "octocat" {
		t.Errorf("title %q assignees %q", got.GitHubTitle, got.GitHubAssignees)
	}
	evs := w.events(it.ID, models.ActorGitHub)
	if len(fieldEvents(evs, "github_title")) != 1 || len(fieldEvents(evs, "github_assignees")) != 1 {
		t.Errorf("want one title and one assignee event by github, got %+v", evs)
	}
	if got.Title == "Add paging alert" {
		t.Error("the item's own title was overwritten")
	}
}

// TestPushAndItsEchoAreNoOps: closing here closes the issue with the right
// reason and a comment; the pass after, and the webhook of that close, change
// nothing.
func TestPushAndItsEchoAreNoOps(t *testing.T) {
	cases := []struct {
		status, state, reason string
	}{
		{models.StatusDone, "closed", "completed"},
		{models.StatusWontFix, "closed", "not_planned"},
	}
	for _, tc := range cases {
		t.Run(tc.status, func(t *testing.T) {
			testdb.Run(t, func(t *testing.T, db *database.DB) {
				w := newWorld(t, db)
				it, n := w.linked("Add alert")
				w.setStatus(it.ID, tc.status)
				if err := w.sy.Push(w.ctx, it.ID); err != nil {
					t.Fatal(err)
				}
				st, _ := w.fake.Issue(testRepo, n)
				if st.State != tc.state || st.StateReason != tc.reason || len(st.Comments) != 1 {
					t.Fatalf("issue %s/%s with %d comments, want %s/%s with 1", st.State, st.StateReason, len(st.Comments), tc.state, tc.reason)
				}
				before := len(w.events(it.ID, ""))
				w.tick()
				// The webhook of amends' own close, then a pass.
				echo := ghsync.IssueEvent{Action: "closed", Issue: ghsync.IssueRef{Owner: "acme", Repo: "ops", Number: n},
					State: st.State, StateReason: st.StateReason, Title: st.Title, UpdatedAt: st.UpdatedAt, Sender: ghfake.DefaultLogin}
				if err := w.sy.HandleIssueEvent(w.ctx, echo); err != nil {
					t.Fatal(err)
				}
				w.pass()
				if err := w.sy.Push(w.ctx, it.ID); err != nil {
					t.Fatal(err)
				}
				if got := w.item(it.ID); got.Status != tc.status {
					t.Errorf("status flipped to %s", got.Status)
				}
				if after := len(w.events(it.ID, "")); after != before {
					t.Errorf("echo wrote %d events", after-before)
				}
				if st, _ := w.fake.Issue(testRepo, n); len(st.Comments) != 1 {
					t.Errorf("%d comments after a second push, want 1", len(st.Comments))
				}
				// Reopening here reopens the issue.
				w.setStatus(it.ID, models.StatusOpen)
				if err := w.sy.Push(w.ctx, it.ID); err != nil {
					t.Fatal(err)
				}
				if st, _ := w.fake.Issue(testRepo, n); st.State != "open" {
					t.Errorf("reopen left the issue %s", st.State)
				}
			})
		})
	}
}

// TestConflictLaterChangeWins: both sides changed since the last sync; the
// later wins, both are in history, and further passes do not flip it.
func TestConflictLaterChangeWins(t *testing.T) {
	cases := []struct {
		name        string
		githubLater bool
		wantStatus  string
		wantIssue   string
		wantReason  string
	}{
		{"github later", true, models.StatusDone, "closed", "completed"},
		{"amends later", false, models.StatusWontFix, "closed", "not_planned"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, testdb.SQLite(t))
			it, n := w.linked("Add alert")
			// The push of the local change fails (GitHub down), so it is
			// still pending when GitHub's own change arrives.
			local := func() {
				w.fake.FailNext(1, 500)
				w.setStatus(it.ID, models.StatusWontFix)
				_ = w.sy.Push(w.ctx, it.ID)
			}
			remote := func() { w.fake.CloseIssue(testRepo, n, "completed") }
			if tc.githubLater {
				local()
				w.tick()
				remote()
			} else {
				remote()
				w.tick()
				local()
			}
			w.tick()
			for i := 0; i < 3; i++ {
				if res := w.pass(); res.Err != nil {
					t.Fatal(res.Err)
				}
				w.tick()
			}
			got := w.item(it.ID)
			st, _ := w.fake.Issue(testRepo, n)
			if got.Status != tc.wantStatus || st.State != tc.wantIssue || st.StateReason != tc.wantReason {
				t.Errorf("item %s, issue %s/%s; want %s, %s/%s", got.Status, st.State, st.StateReason, tc.wantStatus, tc.wantIssue, tc.wantReason)
			}
			evs := w.events(it.ID, "")
			if len(fieldEvents(evs, "status")) == 0 || len(fieldEvents(evs, "github_state")) == 0 {
				t.Errorf("history misses one side: %+v", evs)
			}
			var conflict bool
			for _, e := range evs {
				conflict = conflict || len(e.Reason) > 9 && e.Reason[:9] == "conflict:"
			}
			if !conflict {
				t.Errorf("no event names the conflict: %+v", evs)
			}
		})
	}
}
