package ghsync_test

import (
	"github.com/amendsdev/amends/models/database"

	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/sync/ghsync"
)

// TestConflictComparesOnlyChangesMadeHere (issue 20): the conflict rule
// weighs the time of the status change made in amends against GitHub's,
// never the time amends recorded something GitHub said. Here a status set
// in amends (whose push fails) is followed on GitHub by a rename, which
// amends records late, and then by a close that is later than the change
// made here: the close wins, though amends' copy of the rename is later
// still.
func TestConflictComparesOnlyChangesMadeHere(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		it, n := w.linked("Add alert")
		ref := ghsync.IssueRef{Owner: "acme", Repo: "ops", Number: n}
		// Every push fails: GitHub is unreachable for writes throughout.
		w.fake.FailNext(1000, 500)
		local := w.fake.Clock().Now().Truncate(time.Second)
		w.setStatus(it.ID, models.StatusWontFix)
		_ = w.sy.Push(w.ctx, it.ID)

		// The rename happened a second after the change here, but its
		// delivery arrives ten seconds later.
		w.fake.Clock().Advance(10 * time.Second)
		renamed := ghsync.IssueEvent{Action: "edited", Issue: ref, State: "open", Title: "Add paging alert",
			UpdatedAt: local.Add(time.Second), Sender: "someone"}
		// The change here still wins over a rename, and its push fails.
		if err := w.sy.HandleIssueEvent(w.ctx, renamed); err != nil && !strings.Contains(err.Error(), "push") {
			t.Fatal(err)
		}
		w.sy.Wait()
		if got := w.item(it.ID); got.Status != models.StatusWontFix || got.GitHubTitle != "Add paging alert" {
			t.Fatalf("after the rename: status %s, title %q", got.Status, got.GitHubTitle)
		}

		// GitHub closes the issue five seconds after the change here.
		w.tick()
		closed := ghsync.IssueEvent{Action: "closed", Issue: ref, State: "closed", StateReason: "completed",
			Title: "Add paging alert", UpdatedAt: local.Add(5 * time.Second), Sender: "someone"}
		if err := w.sy.HandleIssueEvent(w.ctx, closed); err != nil && !strings.Contains(err.Error(), "push") {
			t.Fatal(err)
		}
		w.sy.Wait()
		got := w.item(it.ID)
		if got.Status != models.StatusDone {
			t.Errorf("status %s: GitHub's later close lost to amends' own record of the rename", got.Status)
		}
		var named bool
		for _, e := range w.events(it.ID, models.ActorGitHub) {
			named = named || strings.HasPrefix(e.Reason, "conflict:") && strings.Contains(e.Reason, "later than the change here")
		}
		if !named {
			t.Errorf("no event names GitHub's win: %+v", w.events(it.ID, models.ActorGitHub))
		}
	})
}
