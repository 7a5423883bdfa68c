package ghsync_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/sync/ghfake"
)

// TestPassCost measures what one pass costs for 10,000 linked issues in 50
// repositories: when nothing changed, and when 1% changed. The figures are
// in the log (go test -run TestPassCost -v ./sync/ghsync).
func TestPassCost(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 10,000 linked items")
	}
	const repos, perRepo = 50, 200
	w := newWorld(t, testdb.SQLite(t))
	linkMany(t, w, repos, perRepo)

	w.fake.ResetStats()
	cold := w.pass()
	coldStats := w.fake.Stats()
	if cold.Err != nil {
		t.Fatal(cold.Err)
	}

	// The first pass moved each repository's since to its newest issue: the
	// next pass asks a new URL once, then the cache holds it.
	w.fake.ResetStats()
	if res := w.pass(); res.Err != nil {
		t.Fatal(res.Err)
	}
	settle := w.fake.Stats()

	w.fake.ResetStats()
	if res := w.pass(); res.Err != nil || res.Applied != 0 {
		t.Fatalf("unchanged pass: applied %d, %v", res.Applied, res.Err)
	}
	idle := w.fake.Stats()
	if idle.Counted != 0 {
		t.Errorf("a pass where nothing changed used %d of the rate limit", idle.Counted)
	}

	w.fake.Clock().Advance(time.Minute)
	for r := range repos {
		for i := 1; i <= perRepo/100; i++ {
			w.fake.CloseIssue(fmt.Sprintf("org%d/repo", r), i*50, "completed")
		}
	}
	w.fake.ResetStats()
	res := w.pass()
	busy := w.fake.Stats()
	if res.Err != nil || res.Applied < repos*perRepo/100 {
		t.Fatalf("1%% pass: applied %d, %v", res.Applied, res.Err)
	}
	t.Logf("10,000 issues in 50 repos, one pass: first %d requests (%d counted), second %d (%d counted); "+
		"nothing changed %d (%d counted, %d answered 304); 1%% changed %d (%d counted)",
		coldStats.Requests, coldStats.Counted, settle.Requests, settle.Counted,
		idle.Requests, idle.Counted, idle.NotModified, busy.Requests, busy.Counted)
	w.fake.ResetStats()
	if res := w.pass(); res.Err != nil {
		t.Fatal(res.Err)
	}
	after := w.fake.Stats()
	t.Logf("the pass after the 1%% change: %d requests (%d counted)", after.Requests, after.Counted)

	// Hours later the sweep starts fetching long-unseen issues one by one.
	w.fake.Clock().Advance(7 * time.Hour)
	w.fake.ResetStats()
	if res := w.pass(); res.Err != nil || res.Swept != 50 {
		t.Fatalf("sweeping pass: swept %d, %v", res.Swept, res.Err)
	}
	swept := w.fake.Stats()
	t.Logf("a pass that also sweeps 50 unseen issues: %d requests (%d counted)", swept.Requests, swept.Counted)
}

// linkMany opens perRepo issues in each of repos repositories and links an
// item to each, as a previous pass left them, in a few bulk inserts.
func linkMany(t *testing.T, w *world, repos, perRepo int) {
	t.Helper()
	now := w.fake.Clock().Now()
	var items []models.ActionItem
	for r := range repos {
		repo := fmt.Sprintf("org%d/repo", r)
		for range perRepo {
			w.tick()
			n := w.fake.CreateIssue(repo, ghfake.NewIssue{Title: "Item"})
			st, _ := w.fake.Issue(repo, n)
			items = append(items, models.ActionItem{
				PostmortemID: w.f.Internal.ID, Title: "Item", Owner: models.OwnerProvider, Type: "repair",
				Priority: "P2", Status: models.StatusOpen, CustomerVisible: true, CreatedAt: now, UpdatedAt: now,
				GitHubURL: fmt.Sprintf("https://github.com/%s/issues/%d", repo, n), GitHubState: "open",
				GitHubRepo: repo, GitHubNumber: n, GitHubTitle: "Item", GitHubUpdatedAt: &st.UpdatedAt, GitHubSyncedAt: &now,
			})
		}
	}
	if err := w.store.DB().W.CreateInBatches(items, 500).Error; err != nil {
		t.Fatal(err)
	}
}
