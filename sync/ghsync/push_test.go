package ghsync_test

import (
	"github.com/amendsdev/amends/models/database"

	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/sync/ghsync"
)

// TestConcurrentPushesCommentOnce pushes one change from several places at
// once, as the request that made it, a sync pass's retry and another
// replica may: the issue is closed once and gets one comment, not one per
// pusher. GitHub answers slowly, so that every pusher reads the item
// before the first has recorded what GitHub said.
func TestConcurrentPushesCommentOnce(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		it, n := w.linked("Add alert")
		w.setStatus(it.ID, models.StatusDone)
		replica := w.replica()
		var edits atomic.Int32
		w.fake.OnRequest(func(_ http.ResponseWriter, r *http.Request) bool {
			if r.Method == http.MethodPatch {
				edits.Add(1)
				time.Sleep(50 * time.Millisecond)
			}
			return false
		})
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for i := range 4 {
			sy := w.sy
			if i%2 == 1 {
				sy = replica
			}
			wg.Go(func() { errs <- sy.Push(w.ctx, it.ID) })
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		st, _ := w.fake.Issue(testRepo, n)
		if st.State != "closed" || len(st.Comments) != 1 {
			t.Fatalf("issue %s with %d comments, want closed with 1: %q", st.State, len(st.Comments), st.Comments)
		}
		if n := edits.Load(); n != 1 {
			t.Errorf("%d edits of the issue, want 1", n)
		}
	})
}

// replica is a second syncer on a store of its own over the same
// database, as another replica of amends serve has.
func (w *world) replica() *ghsync.Syncer {
	w.t.Helper()
	store := models.NewStore(w.store.DB())
	store.SetClock(w.fake.Clock().Now)
	sy, err := ghsync.New(store, ghsync.Options{
		Config:        ghsync.Config{Token: "token-b", APIURL: w.fake.URL},
		WebhookSecret: testSecret, BaseURL: "https://amends.example", Now: w.fake.Clock().Now,
	})
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(sy.Wait)
	return sy
}
