package ghsync_test

import (
	"github.com/amendsdev/amends/models/database"

	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/sync/ghsync"
)

// TestSameSecondCloseThenReopen: GitHub's updated_at has one-second
// resolution, so a reopen in the second of the close carries the same
// time. Polled after each, the item ends reopened, not done.
func TestSameSecondCloseThenReopen(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		it, n := w.linked("Add alert")
		w.fake.CloseIssue(testRepo, n, "completed")
		if res := w.pass(); res.Err != nil {
			t.Fatal(res.Err)
		}
		if got := w.item(it.ID); got.Status != models.StatusDone {
			t.Fatalf("after the close: status %s", got.Status)
		}
		w.fake.Clock().Advance(300 * time.Millisecond) // same second
		w.fake.Reopen(testRepo, n)
		if res := w.pass(); res.Err != nil {
			t.Fatal(res.Err)
		}
		got := w.item(it.ID)
		if got.Status != models.StatusOpen || got.GitHubState != "open" {
			t.Errorf("status %s, issue %s; want open, open", got.Status, got.GitHubState)
		}
	})
}

// TestSameUpdatedAtDifferentSnapshotIsApplied: a webhook delivery with the
// updated_at of the last one applied is applied when the state, reason,
// title or assignees differ, and is a no-op when it says the same.
func TestSameUpdatedAtDifferentSnapshotIsApplied(t *testing.T) {
	scenarios := []struct {
		name   string
		change func(ev *ghsync.IssueEvent)
		check  func(it *models.ActionItem) bool
		events int // github events written by the second delivery
	}{
		{"same snapshot again", func(ev *ghsync.IssueEvent) {}, func(it *models.ActionItem) bool { return it.Status == models.StatusDone }, 0},
		{"reopened", func(ev *ghsync.IssueEvent) { ev.Action, ev.State, ev.StateReason = "reopened", "open", "reopened" },
			func(it *models.ActionItem) bool { return it.Status == models.StatusOpen && it.GitHubState == "open" }, 2},
		{"reason", func(ev *ghsync.IssueEvent) { ev.StateReason = "not_planned" },
			func(it *models.ActionItem) bool { return it.Status == models.StatusWontFix }, 2},
		{"title", func(ev *ghsync.IssueEvent) { ev.Action, ev.Title = "edited", "Add paging alert" },
			func(it *models.ActionItem) bool {
				return it.GitHubTitle == "Add paging alert" && it.Status == models.StatusDone
			}, 1},
		{"assignees", func(ev *ghsync.IssueEvent) { ev.Action, ev.Assignees = "assigned", []string{"octocat"} },
			func(it *models.ActionItem) bool { return it.GitHubAssignees == "octocat" }, 1},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			w := newWorld(t, testdb.SQLite(t))
			it, n := w.linked("Add alert")
			at := w.fake.Clock().Now().Truncate(time.Second)
			ref := ghsync.IssueRef{Owner: "acme", Repo: "ops", Number: n}
			closed := ghsync.IssueEvent{Action: "closed", Issue: ref, State: "closed", StateReason: "completed",
				Title: "Add alert", UpdatedAt: at, Sender: "someone"}
			if err := w.sy.HandleIssueEvent(w.ctx, closed); err != nil {
				t.Fatal(err)
			}
			if got := w.item(it.ID); got.Status != models.StatusDone {
				t.Fatalf("after the close: status %s", got.Status)
			}
			before := len(w.events(it.ID, models.ActorGitHub))
			w.tick()
			next := closed
			sc.change(&next)
			if err := w.sy.HandleIssueEvent(w.ctx, next); err != nil {
				t.Fatal(err)
			}
			w.sy.Wait()
			got := w.item(it.ID)
			if !sc.check(got) {
				t.Errorf("not applied: status %s, issue %s %s, title %q, assignees %q",
					got.Status, got.GitHubState, got.GitHubStateReason, got.GitHubTitle, got.GitHubAssignees)
			}
			if d := len(w.events(it.ID, models.ActorGitHub)) - before; d != sc.events {
				t.Errorf("%d history events by github, want %d", d, sc.events)
			}
		})
	}
}
