package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/notify"
	"github.com/amendsdev/amends/subscribe"
)

// Texts a customer must never read: a draft of external_summary that the
// share-safety check refused, and the internal title and description an
// item had before it was made customer-visible.
var beforeShared = []string{"lb-07.prod.corp", "10.20.4.17", "db-primary-7", "OPS-1234"}

// TestCustomerHistoryBeginsWhenShared: a shared postmortem published after
// a refused draft, and an item created internal-only then made visible,
// reach customer A's history (API and portal), Atom feed, change emails
// and webhook payloads from the moment A could see them, with the values
// they had then, and nothing from before.
func TestCustomerHistoryBeginsWhenShared(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		f := e.f
		payloads := hookReceiver(t, f)
		for _, u := range []*models.User{f.CustA, f.CustAdminA} {
			if err := f.Store.Subscribe(t.Context(), u, models.SubscribeInstant); err != nil {
				t.Fatal(err)
			}
		}
		pmID, itemID := shareAfterRefusal(t, e)

		pmHistory := e.do("GET", fmt.Sprintf("/api/v1/postmortems/%d/history", pmID), f.CustA.Email, nil)
		itemHistory := e.do("GET", fmt.Sprintf("/api/v1/action-items/%d/history", itemID), f.CustA.Email, nil)
		if pmHistory.Status != 200 || itemHistory.Status != 200 {
			t.Fatalf("histories answer %d, %d", pmHistory.Status, itemHistory.Status)
		}
		pmEvents, itemEvents := historyEvents(t, pmHistory), historyEvents(t, itemHistory)
		checkOpening(t, "postmortem", pmEvents, models.ActionShared, "external_summary", "Requests to one region failed for 20 minutes.")
		checkOpening(t, "item", itemEvents, models.ActionShared, "title", "Add a replica lag alert")
		if last := itemEvents[len(itemEvents)-1]; last.Field != "status" || last.OldValue != "open" || last.NewValue != "in_progress" {
			t.Errorf("item history does not end with its status change after sharing: %+v", itemEvents)
		}
		portal := e.page("GET", fmt.Sprintf("/portal/items/%d", itemID), f.CustA.Email, nil)
		if portal.Status != 200 || !strings.Contains(string(portal.Body), "provider shared") {
			t.Errorf("portal item page %d does not open with the sharing: %s", portal.Status, portal.Body)
		}
		token, err := f.Store.NewFeedToken(t.Context(), f.CustA)
		if err != nil {
			t.Fatal(err)
		}
		feed := e.do("GET", "/feeds/"+token+".atom", "", nil)
		if feed.Status != 200 || !strings.Contains(string(feed.Body), "was shared with you") {
			t.Errorf("feed %d does not say the objects were shared: %s", feed.Status, feed.Body)
		}

		job := subscribe.NewJob(f.Store, "https://amends.example")
		job.Client = subscribe.NewClient(f.Store.Egress())
		if err := job.Run(t.Context(), time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		hooks := payloads()
		if !strings.Contains(strings.Join(hooks, "\n"), `"action_item.shared"`) {
			t.Errorf("no webhook says the item was shared: %v", hooks)
		}
		outputs := map[string]string{"postmortem history": string(pmHistory.Body), "item history": string(itemHistory.Body),
			"portal item page": string(portal.Body), "Atom feed": string(feed.Body)}
		for i, p := range hooks {
			outputs[fmt.Sprintf("webhook payload %d", i)] = p
		}
		for k, v := range outboxTexts(t, f.Store) {
			outputs[k] = v
		}
		for where, body := range outputs {
			for _, s := range beforeShared {
				if strings.Contains(html.UnescapeString(body), s) {
					t.Errorf("%s shows %q, from before customer A could see it", where, s)
				}
			}
		}
		// The control: staff read the whole trail.
		staff := e.do("GET", fmt.Sprintf("/api/v1/action-items/%d/history", itemID), f.SRE.Email, nil)
		if !strings.Contains(string(staff.Body), "db-primary-7") {
			t.Errorf("staff history lacks the internal title: %s", staff.Body)
		}
	})
}

// shareAfterRefusal publishes a shared postmortem for customer A whose
// first external summary the share-safety check refuses, and makes an
// item written internal-only visible once retitled; then changes the
// item's status.
func shareAfterRefusal(t *testing.T, e *env) (pmID, itemID uint) {
	t.Helper()
	f := e.f
	ok := func(r response, want int, what string) map[string]any {
		t.Helper()
		if r.Status != want {
			t.Fatalf("%s: %d %s", what, r.Status, r.Body)
		}
		return r.json(t)
	}
	pm := ok(e.do("POST", "/api/v1/postmortems", f.SRE.Email, map[string]any{
		"title": "Regional errors", "visibility": "shared", "customer_ids": []uint{f.A.ID}, "severity": "SEV2",
		"external_summary": "Traffic through lb-07.prod.corp (10.20.4.17) failed.",
	}), 201, "create postmortem")
	pmID = uint(pm["id"].(float64))
	base := fmt.Sprintf("/api/v1/postmortems/%d", pmID)
	if code, _ := e.do("POST", base+"/publish", f.Admin.Email, nil).apiError(t); code != "share_check_failed" {
		t.Fatalf("the draft summary was not refused: %s", code)
	}
	ok(e.do("PATCH", base, f.SRE.Email, map[string]any{"external_summary": "Requests to one region failed for 20 minutes."}), 200, "fix summary")
	no := false
	item := ok(e.do("POST", base+"/action-items", f.SRE.Email, map[string]any{
		"title": "fix db-primary-7 after OPS-1234", "description": "db-primary-7 fell behind, see OPS-1234",
		"owner": "provider", "type": "repair", "priority": "P1", "customer_visible": &no,
	}), 201, "create item")
	itemID = uint(item["id"].(float64))
	ok(e.do("POST", base+"/publish", f.Admin.Email, nil), 200, "publish")
	path := fmt.Sprintf("/api/v1/action-items/%d", itemID)
	ok(e.do("PATCH", path, f.SRE.Email, map[string]any{"title": "Add a replica lag alert", "description": "Alert before a replica falls behind."}), 200, "retitle")
	ok(e.do("PATCH", path, f.SRE.Email, map[string]any{"customer_visible": true}), 200, "share item")
	ok(e.do("PATCH", path, f.SRE.Email, map[string]any{"status": "in_progress"}), 200, "start item")
	return pmID, itemID
}

type historyEvent struct {
	Action   string            `json:"action"`
	Field    string            `json:"field"`
	OldValue string            `json:"old_value"`
	NewValue string            `json:"new_value"`
	Values   map[string]string `json:"values"`
}

func historyEvents(t *testing.T, r response) []historyEvent {
	t.Helper()
	var page struct{ Items []historyEvent }
	if err := json.Unmarshal(r.Body, &page); err != nil || len(page.Items) == 0 {
		t.Fatalf("history %s: %v", r.Body, err)
	}
	return page.Items
}

// checkOpening: the history opens with one event that carries what the
// customer could read at that moment, and no event before it.
func checkOpening(t *testing.T, what string, events []historyEvent, action, field, value string) {
	t.Helper()
	first := events[0]
	if first.Action != action || first.Values[field] != value || first.OldValue != "" {
		t.Errorf("%s history opens with %+v, want %s carrying %s %q", what, first, action, field, value)
	}
}

// hookReceiver registers a webhook of customer A and returns what it got.
func hookReceiver(t *testing.T, f *testdb.Fixture) func() []string {
	t.Helper()
	testdb.AllowLoopback(t, f.Store)
	var mu sync.Mutex
	var payloads []string
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		payloads = append(payloads, string(body))
		mu.Unlock()
	}))
	t.Cleanup(recv.Close)
	if _, err := f.Store.CreateWebhook(t.Context(), f.CustAdminA, recv.URL); err != nil {
		t.Fatal(err)
	}
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), payloads...)
	}
}

// outboxTexts are the subjects and bodies of every queued email.
func outboxTexts(t *testing.T, s *models.Store) map[string]string {
	t.Helper()
	outbox := notify.NewOutbox(s)
	msgs, err := outbox.List(t.Context(), "", 1000)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("outbox: %d messages, %v", len(msgs), err)
	}
	out := map[string]string{}
	for _, m := range msgs {
		full, err := outbox.Get(t.Context(), m.ID)
		if err != nil {
			t.Fatal(err)
		}
		out[fmt.Sprintf("email %d to %s", m.ID, m.Recipient)] = full.Subject + "\n" + full.TextBody + full.HTMLBody
	}
	return out
}
