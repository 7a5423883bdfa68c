package ghsync_test

import (
	"github.com/amendsdev/amends/models/database"

	"sync"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/sync/ghfake"
	"github.com/amendsdev/amends/sync/ghsync"
)

// linkHelloWorld links an item to Codertocat/Hello-World#1, the issue of
// the real payloads in testdata, as seen before any of them.
func linkHelloWorld(w *world, repo, state string) uint {
	w.t.Helper()
	id := w.f.ProviderItemA.ID
	_, err := w.store.LinkItem(w.ctx, w.f.SRE, id, models.GitHubIssue{
		Repo: repo, Number: 1, URL: "https://github.com/" + repo + "/issues/1", State: state, Title: "Spelling error in the README file",
		UpdatedAt: time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

func TestDeliverRealPayloads(t *testing.T) {
	cases := []struct {
		file, repo string
		start      string // the item's status, and the issue's state, before
		wantStatus string
		wantGone   string
		wantTitle  string
	}{
		{"issues.closed.json", "Codertocat/Hello-World", "", models.StatusDone, "", ""},
		{"issues.reopened.json", "Codertocat/Hello-World", models.StatusDone, models.StatusOpen, "", ""},
		{"issues.edited.json", "Codertocat/Hello-World", "", models.StatusOpen, "", "Spelling error in the README file"},
		{"issues.assigned.json", "Codertocat/Hello-World", "", models.StatusOpen, "", ""},
		{"issues.deleted.json", "Codertocat/Hello-World", "", models.StatusOpen, models.GitHubDeleted, ""},
		{"issues.transferred.json", "octo-org/octo-repo", "", models.StatusOpen, models.GitHubTransferred, ""},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			testdb.Run(t, func(t *testing.T, db *database.DB) {
				w := newWorld(t, db)
				state := "open"
				if tc.start == models.StatusDone {
					state = "closed"
				}
				id := linkHelloWorld(w, tc.repo, state)
				if tc.start != "" {
					w.setStatus(id, tc.start)
				}
				body := payload(t, tc.file)
				if err := w.sy.VerifyWebhook(body, sign([]byte(testSecret), body)); err != nil {
					t.Fatal(err)
				}
				out, err := w.sy.Deliver(w.ctx, "d-"+tc.file, "issues", body)
				if err != nil || out != ghsync.DeliveryAccepted {
					t.Fatalf("deliver: %q, %v", out, err)
				}
				w.sy.Wait()
				got := w.item(id)
				if got.Status != tc.wantStatus || got.GitHubGone != tc.wantGone {
					t.Errorf("status %s gone %q; want %s %q", got.Status, got.GitHubGone, tc.wantStatus, tc.wantGone)
				}
				if tc.wantTitle != "" && got.GitHubTitle != tc.wantTitle {
					t.Errorf("github title %q", got.GitHubTitle)
				}
				if tc.wantGone == models.GitHubTransferred && got.GitHubMovedTo == "" {
					t.Error("transferred without where to")
				}
			})
		})
	}
}

func TestDeliverRefusesAndIgnores(t *testing.T) {
	w := newWorld(t, testdb.SQLite(t))
	body := payload(t, "issues.closed.json")
	for name, sig := range map[string]string{"unsigned": "", "wrong secret": sign([]byte("nope"), body), "garbage": "sha256=zz"} {
		if err := w.sy.VerifyWebhook(body, sig); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	noSecret, err := ghsync.New(w.store, ghsync.Options{Config: ghsync.Config{Token: "t", APIURL: w.fake.URL}})
	if err != nil {
		t.Fatal(err)
	}
	if err := noSecret.VerifyWebhook(body, sign(nil, body)); err == nil {
		t.Error("no secret configured, yet a delivery was accepted")
	}
	if out, _ := w.sy.Deliver(w.ctx, "p1", "ping", payload(t, "ping.json")); out != ghsync.DeliveryPong {
		t.Errorf("ping: %q", out)
	}
	// Nothing is linked to Hello-World#1: an untracked issue is ignored.
	if out, err := w.sy.Deliver(w.ctx, "u1", "issues", body); out != ghsync.DeliveryIgnored || err != nil {
		t.Errorf("untracked: %q, %v", out, err)
	}
	if out, _ := w.sy.Deliver(w.ctx, "s1", "star", body); out != ghsync.DeliveryIgnored {
		t.Errorf("other event: %q", out)
	}
}

func TestRedeliveryIsProcessedOnce(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		id := linkHelloWorld(w, "Codertocat/Hello-World", "open")
		body := payload(t, "issues.closed.json")
		var outs []string
		for range 3 {
			out, err := w.sy.Deliver(w.ctx, "72d3162e-cc78-11e3-81ab-4c9367dc0958", "issues", body)
			if err != nil {
				t.Fatal(err)
			}
			outs = append(outs, out)
			w.sy.Wait()
		}
		if outs[0] != ghsync.DeliveryAccepted || outs[1] != ghsync.DeliveryDuplicate || outs[2] != ghsync.DeliveryDuplicate {
			t.Errorf("outcomes %v", outs)
		}
		if n := len(fieldEvents(w.events(id, models.ActorGitHub), "status")); n != 1 {
			t.Errorf("%d status events, want 1", n)
		}
		// Even under a new delivery id, the same issue state is a no-op.
		if _, err := w.sy.Deliver(w.ctx, "other", "issues", body); err != nil {
			t.Fatal(err)
		}
		w.sy.Wait()
		if n := len(fieldEvents(w.events(id, models.ActorGitHub), "status")); n != 1 {
			t.Errorf("%d status events after a same-state delivery, want 1", n)
		}
	})
}

// TestWebhookRacesPoll: a webhook and a poll apply the same close at once;
// each item ends done with exactly one status change.
func TestWebhookRacesPoll(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		w := newWorld(t, db)
		for _, item := range []*models.ActionItem{w.f.ProviderItemA, w.f.InternalItemA, w.f.CustomerItemA, w.f.ItemB} {
			n := w.fake.CreateIssue(testRepo, ghfake.NewIssue{Title: item.Title})
			if _, err := w.sy.Link(w.ctx, w.f.SRE, item.ID, models.GitHubLinkInput{IssueURL: testRepo + "#" + itoa(n)}); err != nil {
				t.Fatal(err)
			}
			w.tick()
			w.fake.CloseIssue(testRepo, n, "completed")
			st, _ := w.fake.Issue(testRepo, n)
			ev := ghsync.IssueEvent{Action: "closed", Issue: ghsync.IssueRef{Owner: "acme", Repo: "ops", Number: n},
				State: "closed", StateReason: "completed", Title: st.Title, UpdatedAt: st.UpdatedAt}
			var wg sync.WaitGroup
			errs := make([]error, 2)
			wg.Add(2)
			go func() { defer wg.Done(); errs[0] = w.sy.HandleIssueEvent(w.ctx, ev) }()
			go func() { defer wg.Done(); errs[1] = w.sy.RunOnce(w.ctx).Err }()
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			if got := w.item(item.ID); got.Status != models.StatusDone {
				t.Errorf("item %d: status %s", item.ID, got.Status)
			}
			if k := len(fieldEvents(w.events(item.ID, models.ActorGitHub), "status")); k != 1 {
				t.Errorf("item %d: %d status events, want 1", item.ID, k)
			}
			w.tick()
		}
	})
}
