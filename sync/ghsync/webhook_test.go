package ghsync_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/amendsdev/amends/sync/ghsync"
)

func sign(secret, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

func payload(t *testing.T, name string) []byte {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func TestVerifySignature(t *testing.T) {
	secret := []byte("webhook-secret")
	body := payload(t, "issues.closed.json")
	good := sign(secret, body)
	scenarios := []struct {
		name   string
		secret []byte
		body   []byte
		header string
		want   error
	}{
		{"valid", secret, body, good, nil},
		{"no secret configured", nil, body, good, ghsync.ErrNoWebhookSecret},
		{"empty secret, unsigned delivery", []byte{}, body, "", ghsync.ErrNoWebhookSecret},
		{"unsigned", secret, body, "", ghsync.ErrSignatureMissing},
		{"sha1 prefix", secret, body, "sha1=" + good[len("sha256="):], ghsync.ErrSignatureInvalid},
		{"bad hex", secret, body, "sha256=zz" + good[len("sha256=zz"):], ghsync.ErrSignatureInvalid},
		{"short MAC", secret, body, good[:len(good)-2], ghsync.ErrSignatureInvalid},
		{"other secret", []byte("other"), body, good, ghsync.ErrSignatureInvalid},
		{"body changed", secret, append([]byte(" "), body...), good, ghsync.ErrSignatureInvalid},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			err := ghsync.VerifySignature(sc.secret, sc.body, sc.header)
			if !errors.Is(err, sc.want) || (sc.want == nil) != (err == nil) {
				t.Errorf("err = %v, want %v", err, sc.want)
			}
		})
	}
}

// TestParseIssuesEvent reads every issues delivery in testdata, each one
// signed and verified first as the webhook handler will.
func TestParseIssuesEvent(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	hello := ghsync.IssueRef{Owner: "Codertocat", Repo: "Hello-World", Number: 1}
	title := "Spelling error in the README file"
	me := []string{"Codertocat"}
	base := func(action, state, updated string) ghsync.IssueEvent {
		return ghsync.IssueEvent{Action: action, Issue: hello, State: state, Title: title, Assignees: me, UpdatedAt: at(updated), Sender: "Codertocat"}
	}
	closed := base("closed", "closed", "2019-05-15T15:21:23Z")
	closed.StateReason = "completed"
	deleted := base("deleted", "closed", "2021-10-11T16:40:56Z")
	deleted.Deleted = true
	transferred := ghsync.IssueEvent{
		Action: "transferred", Issue: ghsync.IssueRef{Owner: "octo-org", Repo: "octo-repo", Number: 1},
		State: "open", Title: "Update package.json", UpdatedAt: at("2019-10-25T22:46:30Z"), Sender: "Codertocat",
		TransferredTo: &hello,
	}
	scenarios := []struct {
		file string
		want ghsync.IssueEvent
	}{
		{"issues.opened.json", base("opened", "open", "2019-05-15T15:20:18Z")},
		{"issues.edited.json", base("edited", "open", "2019-05-15T15:20:18Z")},
		{"issues.assigned.json", base("assigned", "open", "2019-05-15T15:20:18Z")},
		{"issues.unassigned.json", base("unassigned", "open", "2019-05-15T15:20:25Z")},
		{"issues.labeled.json", base("labeled", "open", "2019-05-15T15:20:18Z")},
		{"issues.closed.json", closed},
		{"issues.reopened.json", base("reopened", "open", "2021-10-11T16:40:56Z")},
		{"issues.deleted.json", deleted},
		{"issues.transferred.json", transferred},
	}
	secret := []byte("s")
	for _, sc := range scenarios {
		t.Run(sc.file, func(t *testing.T) {
			body := payload(t, sc.file)
			if err := ghsync.VerifySignature(secret, body, sign(secret, body)); err != nil {
				t.Fatal(err)
			}
			got, err := ghsync.ParseIssuesEvent(body)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, sc.want) {
				t.Errorf("got  %+v\nwant %+v", got, sc.want)
			}
		})
	}
}

func TestParseIssuesEventRefuses(t *testing.T) {
	scenarios := []struct {
		name string
		body []byte
	}{
		{"ping", payload(t, "ping.json")},
		{"not JSON", []byte("action=opened")},
		{"no repository", []byte(`{"action":"opened","issue":{"number":1}}`)},
		{"bad owner", []byte(`{"action":"opened","issue":{"number":1},"repository":{"name":"r","owner":{"login":""}}}`)},
		{"transferred without its new issue", []byte(`{"action":"transferred","issue":{"number":1},"repository":{"name":"r","owner":{"login":"o"}}}`)},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			if ev, err := ghsync.ParseIssuesEvent(sc.body); err == nil {
				t.Errorf("accepted: %+v", ev)
			}
		})
	}
}
