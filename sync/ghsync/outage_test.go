package ghsync_test

import (
	"github.com/amendsdev/amends/models/database"

	"errors"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/sync/ghsync"
)

// TestOutageLeavesItemsAndCatchesUp: 500s, secondary limits (403 and 429)
// fail the pass without touching any item, record the error next to the
// last success, and the pass after the outage catches up.
func TestOutageLeavesItemsAndCatchesUp(t *testing.T) {
	cases := []struct {
		name    string
		outage  func(w *world)
		limited bool
	}{
		{"server errors", func(w *world) { w.fake.FailNext(100, 500) }, false},
		{"secondary limit 403", func(w *world) { w.fake.SecondaryRateLimit(time.Second) }, true},
		{"secondary limit 429", func(w *world) { w.fake.TooManyRequests(time.Second) }, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			testdb.Run(t, func(t *testing.T, db *database.DB) {
				w := newWorld(t, db)
				it, n := w.linked("Add alert")
				if res := w.pass(); res.Err != nil {
					t.Fatal(res.Err)
				}
				ok, _ := w.store.GitHubRepoState(w.ctx, testRepo)
				w.tick()
				w.fake.CloseIssue(testRepo, n, "completed")
				tc.outage(w)
				res := w.pass()
				var limited *ghsync.ErrRateLimited
				if res.Err == nil || errors.As(res.Err, &limited) != tc.limited {
					t.Fatalf("pass error %v, want rate limited %v", res.Err, tc.limited)
				}
				if got := w.item(it.ID); got.Status != models.StatusOpen || got.GitHubState != "open" {
					t.Errorf("outage changed the item: %s, %s", got.Status, got.GitHubState)
				}
				st, _ := w.store.GitHubRepoState(w.ctx, testRepo)
				if st.LastError == "" || !st.LastSuccessAt.Equal(*ok.LastSuccessAt) {
					t.Errorf("state after outage: error %q, last success %v (was %v)", st.LastError, st.LastSuccessAt, ok.LastSuccessAt)
				}
				w.fake.FailNext(0, 0)
				w.fake.Clock().Advance(2 * time.Minute)
				if tc.limited {
					// go-github also refuses locally until Retry-After, on the real clock.
					time.Sleep(1100 * time.Millisecond)
				}
				if res := w.pass(); res.Err != nil {
					t.Fatalf("pass after the outage: %v", res.Err)
				}
				if got := w.item(it.ID); got.Status != models.StatusDone {
					t.Errorf("did not catch up: %s", got.Status)
				}
				if st, _ := w.store.GitHubRepoState(w.ctx, testRepo); st.LastError != "" {
					t.Errorf("error kept after success: %q", st.LastError)
				}
			})
		})
	}
}

// TestPushDuringOutageIsRetried: a push that fails is sent by the next pass.
func TestPushDuringOutageIsRetried(t *testing.T) {
	w := newWorld(t, testdb.SQLite(t))
	it, n := w.linked("Add alert")
	w.fake.FailNext(1, 502)
	w.setStatus(it.ID, models.StatusDone)
	if err := w.sy.Push(w.ctx, it.ID); err == nil {
		t.Fatal("push during the outage succeeded")
	}
	w.tick()
	if res := w.pass(); res.Err != nil || res.Pushed != 1 {
		t.Fatalf("pass: pushed %d, %v", res.Pushed, res.Err)
	}
	if st, _ := w.fake.Issue(testRepo, n); st.State != "closed" || st.StateReason != "completed" {
		t.Errorf("issue %s/%s", st.State, st.StateReason)
	}
	if got := w.item(it.ID); got.Status != models.StatusDone {
		t.Errorf("pass flipped the item back to %s", got.Status)
	}
}

// TestRespectsRemaining: with the hourly budget down to the reserve, a pass
// sends nothing and changes nothing.
func TestRespectsRemaining(t *testing.T) {
	w := newWorld(t, testdb.SQLite(t))
	it, n := w.linked("Add alert")
	w.fake.SetRateLimit(5000, 10)
	w.pass() // sees the headers
	w.fake.CloseIssue(testRepo, n, "completed")
	w.fake.ResetStats()
	res := w.pass()
	var limited *ghsync.ErrRateLimited
	if !errors.As(res.Err, &limited) {
		t.Fatalf("pass error %v, want rate limited", res.Err)
	}
	if got := w.fake.Stats().Requests; got != 0 {
		t.Errorf("%d requests sent below the reserve", got)
	}
	if got := w.item(it.ID); got.Status != models.StatusOpen {
		t.Errorf("status %s", got.Status)
	}
}

// TestSweepFlagsDeletedAndTransferred: issues that vanish from the list
// are found by the sweep and flagged, never silently dropped.
func TestSweepFlagsDeletedAndTransferred(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		del, n1 := w.linked("To delete")
		w.f.ProviderItemA = w.f.JointItemA
		moved, n2 := w.linked("To move")
		w.fake.Delete(testRepo, n1)
		to := w.fake.Transfer(testRepo, n2, "acme/platform")
		w.fake.Clock().Advance(7 * time.Hour)
		res := w.pass()
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		d, m := w.item(del.ID), w.item(moved.ID)
		if d.GitHubGone != models.GitHubDeleted || d.Status != models.StatusOpen {
			t.Errorf("deleted: gone %q status %s", d.GitHubGone, d.Status)
		}
		if m.GitHubGone != models.GitHubTransferred || m.GitHubMovedTo != "acme/platform#"+itoa(to) {
			t.Errorf("transferred: gone %q to %q", m.GitHubGone, m.GitHubMovedTo)
		}
		if len(fieldEvents(w.events(d.ID, models.ActorGitHub), "github_gone")) != 1 {
			t.Error("deletion not in history")
		}
		// Flagged items are not fetched again.
		w.fake.ResetStats()
		w.fake.Clock().Advance(7 * time.Hour)
		w.pass()
		if got := w.fake.Stats().ByPath["/repos/acme/ops/issues/"+itoa(n1)]; got != 0 {
			t.Errorf("flagged issue fetched %d times", got)
		}
	})
}

// TestPendingPushSurvivesOtherEdits: a close here whose push failed is not
// undone when GitHub later changes only the issue's title.
func TestPendingPushSurvivesOtherEdits(t *testing.T) {
	w := newWorld(t, testdb.SQLite(t))
	it, n := w.linked("Add alert")
	w.fake.FailNext(1, 500)
	w.setStatus(it.ID, models.StatusDone)
	_ = w.sy.Push(w.ctx, it.ID)
	w.tick()
	w.fake.SetTitle(testRepo, n, "Add paging alert")
	if res := w.pass(); res.Err != nil {
		t.Fatal(res.Err)
	}
	if got := w.item(it.ID); got.Status != models.StatusDone || got.GitHubTitle != "Add paging alert" {
		t.Errorf("item %s, github title %q", got.Status, got.GitHubTitle)
	}
	if st, _ := w.fake.Issue(testRepo, n); st.State != "closed" {
		t.Errorf("issue %s, want closed by the pass", st.State)
	}
}
