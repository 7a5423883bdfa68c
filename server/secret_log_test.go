package server_test

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// TestSecretPathsStayOutOfTheLog: feed and invitation tokens travel in the
// path, so the request log names their routes instead.
func TestSecretPathsStayOutOfTheLog(t *testing.T) {
	srv, f, logs := loggedServer(t)
	feed, err := f.Store.NewFeedToken(t.Context(), f.CustA)
	if err != nil {
		t.Fatal(err)
	}
	invite, _, err := f.Store.Invite(t.Context(), f.CustAdminA, "new@acme.example")
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range []struct{ path, token string }{
		{"/feeds/" + feed + ".atom", feed}, {"/invite/" + invite, invite}, {"/feeds/unknown-secret.atom", "unknown-secret"},
	} {
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", sc.path, nil))
		if strings.Contains(logs.String(), sc.token) {
			t.Errorf("the log shows the token of %s (status %d)", sc.path, rec.Code)
		}
	}
	if !strings.Contains(logs.String(), "path=/feeds/:file") {
		t.Errorf("no request line for the feed: %s", logs.String())
	}
}
