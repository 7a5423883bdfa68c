package server_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestClientGoneIsNotAServerError: a request whose client went away ends
// with its context cancelled. That is logged and counted as 499, not as a
// failed request with a 500 that would page someone.
func TestClientGoneIsNotAServerError(t *testing.T) {
	srv, f, logs := loggedServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest("GET", "/api/v1/action-items?status=open", nil).WithContext(ctx)
	req.Header.Set("Authorization", "Bearer "+f.Tokens[f.SRE.Email])
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	if rec.Body.Len() != 0 {
		t.Errorf("answered a client that went away: %d %s", rec.Code, rec.Body)
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("logged as an error:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "status=499") {
		t.Errorf("request not logged with status 499:\n%s", logs.String())
	}
	metrics := httptest.NewRecorder()
	srv.Handler().ServeHTTP(metrics, httptest.NewRequest("GET", "/metrics", nil))
	if !strings.Contains(metrics.Body.String(), `status="499"`) {
		t.Error("the metrics do not count the request as 499")
	}
}
