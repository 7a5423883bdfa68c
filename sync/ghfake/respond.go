package ghfake

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
)

// Stats counts what reached the fake.
type Stats struct {
	// Requests is every request, answered or refused.
	Requests int
	// Counted is the requests that used up primary rate limit.
	Counted int
	// NotModified is the conditional requests answered 304, which are free.
	NotModified int
	// ByPath counts requests per path, without any /api/v3 prefix.
	ByPath map[string]int
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.stats
	out.ByPath = maps.Clone(s.stats.ByPath)
	return out
}

// ResetStats sets every counter back to zero.
func (s *Server) ResetStats() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats = Stats{ByPath: map[string]int{}}
}

// respond sends the handler's answer with the headers GitHub adds. A GET gets
// a strong ETag over the Authorization header and the body, as GitHub's
// differs per token; a matching If-None-Match turns it into a 304 that does
// not count against the rate limit.
func (s *Server) respond(w http.ResponseWriter, r *http.Request, rec *httptest.ResponseRecorder) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := w.Header()
	maps.Copy(h, rec.Header())
	h.Set("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP")
	h.Set("X-GitHub-Media-Type", "github.v3; format=json")
	body := rec.Body.Bytes()
	if r.Method == http.MethodGet && rec.Code == http.StatusOK {
		etag := etagFor(r.Header.Get("Authorization"), body)
		h.Set("ETag", etag)
		if etagMatches(r.Header.Get("If-None-Match"), etag) {
			s.stats.NotModified++
			s.rate.writeHeaders(h)
			h.Del("Content-Type")
			h.Del("Link")
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	s.rate.remaining--
	s.stats.Counted++
	s.rate.writeHeaders(h)
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body)
}

func etagFor(authorization string, body []byte) string {
	sum := sha256.New()
	sum.Write([]byte(authorization))
	sum.Write([]byte{0})
	sum.Write(body)
	return `"` + hex.EncodeToString(sum.Sum(nil)) + `"`
}

// etagMatches applies If-None-Match's weak comparison: a list of tags, with
// or without W/, or "*".
func etagMatches(ifNoneMatch, etag string) bool {
	for _, candidate := range strings.Split(ifNoneMatch, ",") {
		candidate = strings.TrimPrefix(strings.TrimSpace(candidate), "W/")
		if candidate == "*" || candidate == etag {
			return true
		}
	}
	return false
}

type errorJSON struct {
	Message          string            `json:"message"`
	Errors           []validationError `json:"errors,omitempty"`
	DocumentationURL string            `json:"documentation_url"`
}

type validationError struct {
	Resource string `json:"resource"`
	Code     string `json:"code"`
	Field    string `json:"field"`
}

func errorBody(message, docs string) errorJSON {
	return errorJSON{Message: message, DocumentationURL: docs}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
