package ghfake

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

const (
	docsIssues   = "https://docs.github.com/rest/issues/issues"
	docsComments = "https://docs.github.com/rest/issues/comments"
)

func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /user", s.locked(s.getViewer))
	mux.HandleFunc("GET /repos/{owner}/{repo}/issues", s.locked(s.listIssues))
	mux.HandleFunc("POST /repos/{owner}/{repo}/issues", s.locked(s.createIssue))
	mux.HandleFunc("GET /repos/{owner}/{repo}/issues/{number}", s.locked(s.withIssue(s.getIssue)))
	mux.HandleFunc("PATCH /repos/{owner}/{repo}/issues/{number}", s.locked(s.withIssue(s.updateIssue)))
	mux.HandleFunc("GET /repos/{owner}/{repo}/issues/{number}/comments", s.locked(s.withIssue(s.listComments)))
	mux.HandleFunc("POST /repos/{owner}/{repo}/issues/{number}/comments", s.locked(s.withIssue(s.createComment)))
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusNotFound, errorBody("Not Found", "https://docs.github.com/rest"))
	})
	return mux
}

// locked runs a handler with the state lock held; handlers only write to a
// recorder, so holding it costs no network time.
func (s *Server) locked(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		h(w, r)
	}
}

type issueHandler func(w http.ResponseWriter, r *http.Request, rp *repo, is *issue)

// withIssue resolves {owner}/{repo}/{number} and answers as GitHub does when
// the issue is not there: 404 when it never existed, 410 when it was
// deleted, 301 to the new address when it was transferred.
func (s *Server) withIssue(h issueHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var is *issue
		rp, ok := s.repoOf(r)
		if number, err := strconv.Atoi(r.PathValue("number")); ok && err == nil {
			is = rp.issues[number]
		}
		switch {
		case is == nil:
			writeJSON(w, http.StatusNotFound, errorBody("Not Found", docsIssues+"#get-an-issue"))
		case is.deleted:
			writeJSON(w, http.StatusGone, errorBody("This issue was deleted", docsIssues+"#get-an-issue"))
		case is.movedTo != nil:
			s.redirect(w, r, is.movedTo)
		default:
			h(w, r, rp, is)
		}
	}
}

func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to *location) {
	// Keep what followed the issue in the path (/comments) and the query.
	old := "/repos/" + r.PathValue("owner") + "/" + r.PathValue("repo") + "/issues/" + r.PathValue("number")
	target := issueAPIURL(basesOf(r), to.repo, to.number) + strings.TrimPrefix(r.URL.Path, old)
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	w.Header().Set("Location", target)
	writeJSON(w, http.StatusMovedPermanently, struct {
		Message          string `json:"message"`
		URL              string `json:"url"`
		DocumentationURL string `json:"documentation_url"`
	}{"Moved Permanently", target, "https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects"})
}

func (s *Server) repoOf(r *http.Request) (*repo, bool) {
	rp, ok := s.repos[repoKey(r.PathValue("owner")+"/"+r.PathValue("repo"))]
	return rp, ok
}

func (s *Server) getViewer(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.renderUser(basesOf(r), s.login))
}

func (s *Server) getIssue(w http.ResponseWriter, r *http.Request, rp *repo, is *issue) {
	writeJSON(w, http.StatusOK, s.renderIssue(basesOf(r), rp, is))
}

func validationFailed(w http.ResponseWriter, resource, field, code, docs string) {
	writeJSON(w, http.StatusUnprocessableEntity, errorJSON{
		Message:          "Validation Failed",
		Errors:           []validationError{{Resource: resource, Code: code, Field: field}},
		DocumentationURL: docs,
	})
}

func notFound(w http.ResponseWriter, docs string) {
	writeJSON(w, http.StatusNotFound, errorBody("Not Found", docs))
}

func badJSON(w http.ResponseWriter, err error) {
	writeJSON(w, http.StatusBadRequest, errorBody(fmt.Sprintf("Problems parsing JSON: %v", err), "https://docs.github.com/rest"))
}
