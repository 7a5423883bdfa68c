package ghsync_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"strconv"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/sync/ghfake"
	"github.com/amendsdev/amends/sync/ghsync"
)

const (
	testSecret = "webhook-secret"
	testRepo   = "acme/ops"
)

// world is a fixture database, a fake GitHub and a syncer pointed at it,
// all on the fake's clock.
type world struct {
	t     *testing.T
	ctx   context.Context
	f     *testdb.Fixture
	store *models.Store
	fake  *ghfake.Server
	sy    *ghsync.Syncer
}

func newWorld(t *testing.T, db *database.DB) *world {
	t.Helper()
	fake := ghfake.New(t)
	f := testdb.NewFixture(t, db)
	f.Store.SetClock(fake.Clock().Now)
	sy, err := ghsync.New(f.Store, ghsync.Options{
		Config:        ghsync.Config{Token: "token-a", APIURL: fake.URL},
		WebhookSecret: testSecret, BaseURL: "https://amends.example", Now: fake.Clock().Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sy.Wait)
	return &world{t: t, ctx: context.Background(), f: f, store: f.Store, fake: fake, sy: sy}
}

// tick moves both clocks, so that the next change is later than the last.
func (w *world) tick() { w.fake.Clock().Advance(2 * time.Second) }

// linked opens an issue and links the provider item of customer A to it.
func (w *world) linked(title string) (*models.ActionItem, int) {
	w.t.Helper()
	n := w.fake.CreateIssue(testRepo, ghfake.NewIssue{Title: title})
	it, err := w.sy.Link(w.ctx, w.f.SRE, w.f.ProviderItemA.ID, models.GitHubLinkInput{IssueURL: testRepo + "#" + itoa(n)})
	if err != nil {
		w.t.Fatalf("link: %v", err)
	}
	w.tick()
	return it, n
}

func (w *world) item(id uint) *models.ActionItem {
	w.t.Helper()
	it, err := w.store.SyncItem(w.ctx, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return it
}

func (w *world) setStatus(id uint, status string) {
	w.t.Helper()
	_, err := w.store.UpdateItem(w.ctx, w.f.SRE, id, models.ItemPatch{Status: models.Opt[string]{Set: true, V: status}})
	if err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) pass() ghsync.PassResult {
	w.t.Helper()
	res := w.sy.RunOnce(w.ctx)
	w.sy.Wait()
	return res
}

// events returns the item's history written by actor ("" for all).
func (w *world) events(id uint, actor string) []models.AuditEvent {
	w.t.Helper()
	all, err := w.store.ItemHistory(w.ctx, w.f.Admin, id)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []models.AuditEvent
	for _, e := range all {
		if actor == "" || e.Actor == actor {
			out = append(out, e)
		}
	}
	return out
}

func fieldEvents(evs []models.AuditEvent, field string) []models.AuditEvent {
	var out []models.AuditEvent
	for _, e := range evs {
		if e.Field == field {
			out = append(out, e)
		}
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
