package server_test

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestAnswersAreGzippedForClientsThatAskForIt: an answer of 1 KB and
// more is gzipped for a client that accepts gzip and decodes to the same
// JSON; a short answer, a client that does not ask, and /metrics (which
// the Prometheus handler compresses itself) are not compressed again.
func TestAnswersAreGzippedForClientsThatAskForIt(t *testing.T) {
	srv, f, _ := loggedServer(t)
	for _, tc := range []struct {
		name, path, encoding string
		token                bool
		gzipped              bool
	}{
		{"a long list, gzip accepted", "/api/v1/action-items", "gzip", true, true},
		{"a long list, gzip not asked for", "/api/v1/action-items", "", true, false},
		{"a short answer", "/healthz", "gzip", false, false},
		{"the metrics, compressed once", "/metrics", "gzip", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", tc.path, nil)
			if tc.encoding != "" {
				req.Header.Set("Accept-Encoding", tc.encoding)
			}
			if tc.token {
				req.Header.Set("Authorization", "Bearer "+f.Tokens[f.Admin.Email])
			}
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, req)
			if rec.Code != 200 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			got := rec.Header().Get("Content-Encoding") == "gzip"
			if got != tc.gzipped {
				t.Fatalf("gzipped %v, want %v (Content-Encoding %q, %d bytes)", got, tc.gzipped, rec.Header().Get("Content-Encoding"), rec.Body.Len())
			}
			if !tc.gzipped {
				return
			}
			zr, err := gzip.NewReader(rec.Body)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			if tc.path == "/metrics" {
				if !strings.HasPrefix(string(body), "# HELP") {
					t.Fatalf("the metrics, gunzipped once, begin %q", body[:min(len(body), 40)])
				}
				return
			}
			var list struct{ Items []map[string]any }
			if err := json.Unmarshal(body, &list); err != nil {
				t.Fatalf("not JSON once gunzipped: %v", err)
			}
			if len(body) < 1024 || len(list.Items) == 0 {
				t.Fatalf("a %d-byte list of %d items", len(body), len(list.Items))
			}
		})
	}
}
