package ghsync_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amendsdev/amends/sync/ghsync"
)

// addDeliveries seeds f with every recorded delivery in testdata.
func addDeliveries(f *testing.F, add func(body []byte)) {
	paths, err := filepath.Glob("testdata/*.json")
	if err != nil || len(paths) == 0 {
		f.Fatalf("no recorded deliveries: %v", err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		add(b)
	}
	add([]byte(`{"action":"transferred","issue":{"number":1},"repository":{"name":"r","owner":{"login":"o"}},"changes":{}}`))
	add([]byte(`{"action":"opened","issue":{"number":-1},"repository":{"name":"../x","owner":{"login":""}}}`))
	add([]byte(`[1,2`))
}

// FuzzParseIssuesEvent: any body parses or is refused, without a panic, and
// an accepted one names a usable issue.
func FuzzParseIssuesEvent(f *testing.F) {
	addDeliveries(f, func(b []byte) { f.Add(b) })
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := ghsync.ParseIssuesEvent(body)
		if err != nil {
			return
		}
		if ev.Action == "" || ev.Issue.Number <= 0 || ev.Issue.FullName() == "" {
			t.Fatalf("accepted an event without a usable issue: %+v", ev)
		}
		if ev.Action == "transferred" && ev.TransferredTo == nil {
			t.Fatalf("transferred without a destination: %+v", ev)
		}
	})
}

// FuzzVerifySignature: only the body's own HMAC under the secret passes
// (its hex digits in either case).
func FuzzVerifySignature(f *testing.F) {
	secret := []byte("s3cret")
	addDeliveries(f, func(b []byte) {
		f.Add(b, sign(secret, b))
		f.Add(b, "sha256=00")
	})
	f.Add([]byte("x"), "")
	f.Add([]byte("x"), "sha1=abc")
	f.Fuzz(func(t *testing.T, body []byte, header string) {
		err := ghsync.VerifySignature(secret, body, header)
		hexMAC, prefixed := strings.CutPrefix(header, "sha256=")
		want := prefixed && strings.EqualFold(hexMAC, strings.TrimPrefix(sign(secret, body), "sha256="))
		if (err == nil) != want {
			t.Fatalf("header %q: verify says %v", header, err)
		}
	})
}
