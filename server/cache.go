package server

import (
	lru "container/list"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

// readCache keeps rendered GET responses per user and URL, valid for as
// long as the database version they were read at is current. Any commit,
// by this process or another, changes the version, so an entry is never
// served after the data under it changed. Where the database cannot tell
// its version cheaply (PostgreSQL) nothing is cached.
type readCache struct {
	mu       sync.Mutex
	order    *lru.List // front: most recently used
	entries  map[string]*lru.Element
	size     int // the cost of the entries held, at most maxBytes
	maxBytes int
}

// maxCachedBody keeps one large export from evicting many small lists. It
// bounds the answer as rendered, so what is kept is never larger either.
const maxCachedBody = 256 << 10

func newReadCache(maxBytes int) *readCache {
	return &readCache{order: lru.New(), entries: map[string]*lru.Element{}, maxBytes: maxBytes}
}

func (rc *readCache) get(key string, version int64) *cachedResponse {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	el, ok := rc.entries[key]
	if !ok {
		return nil
	}
	entry := el.Value.(*cachedResponse)
	if entry.version != version {
		rc.remove(el)
		return nil
	}
	rc.order.MoveToFront(el)
	return entry
}

func (rc *readCache) put(entry *cachedResponse) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if el, ok := rc.entries[entry.key]; ok {
		rc.remove(el)
	}
	// An entry larger than the budget would push all others out, then
	// itself.
	if entry.cost > rc.maxBytes {
		return
	}
	rc.entries[entry.key] = rc.order.PushFront(entry)
	rc.size += entry.cost
	for rc.size > rc.maxBytes {
		rc.remove(rc.order.Back())
	}
}

func (rc *readCache) remove(el *lru.Element) {
	entry := rc.order.Remove(el).(*cachedResponse)
	delete(rc.entries, entry.key)
	rc.size -= entry.cost
}

// cacheReads serves an API GET from the cache when the database has not
// changed since it was rendered for this user. The key holds the user (so
// scoping is never shared) and today's date (which "overdue" depends on).
func (s *Server) cacheReads(next echo.HandlerFunc) echo.HandlerFunc {
	return s.cached(next, func(c echo.Context, u *models.User) string {
		return fmt.Sprintf("%d|%s|%s", u.ID, s.store.Today(), c.Request().URL.RequestURI())
	})
}

// cachePages does the same for pages, per session rather than per user,
// because a page carries its session's CSRF token. A page that shows a
// flash message is a one-off and is never cached.
func (s *Server) cachePages(next echo.HandlerFunc) echo.HandlerFunc {
	return s.cached(next, func(c echo.Context, u *models.User) string {
		if ck, err := c.Cookie(flashCookie); err == nil && ck.Value != "" {
			return ""
		}
		return fmt.Sprintf("page|%d|%s|%s|%s", u.ID, csrfToken(c), s.store.Today(), c.Request().URL.RequestURI())
	})
}

// cached answers from the read cache under the key keyOf gives ("" for
// "do not cache"), or renders the answer into memory and keeps a 200. An
// answer rendered into memory is sent whole, with its length, and
// compressed for clients that accept gzip, even where it cannot be kept.
func (s *Server) cached(next echo.HandlerFunc, keyOf func(echo.Context, *models.User) string) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := currentUser(c)
		if u == nil {
			return next(c)
		}
		key := keyOf(c, u)
		if key == "" {
			return next(c)
		}
		version, cacheable := s.store.DB().Version(c.Request().Context())
		if cacheable {
			if hit := s.cacheHit(c, key, version); hit != nil {
				return hit.serve(c, "hit", nil)
			}
		}
		res := c.Response()
		w := res.Writer
		rec := newRecorder(w)
		defer rec.release()
		res.Writer = rec
		err := next(c)
		res.Writer = w
		if err != nil || rec.status != http.StatusOK || rec.passing {
			rec.finish()
			return err
		}
		return s.keep(c, key, version, cacheable, rec.buf.Bytes())
	}
}

// cacheHit finds the answer kept under key. A client that does not accept
// gzip gets an uncompressed copy, made at its first request and kept
// beside the gzipped answer under the same version, so that a client
// polling without gzip does not inflate the answer each time; the copy
// counts against the budget like any entry, and exists only where such a
// client asked.
func (s *Server) cacheHit(c echo.Context, key string, version int64) *cachedResponse {
	if acceptsGzip(c.Request().Header.Get(echo.HeaderAcceptEncoding)) {
		return s.cache.get(key, version)
	}
	if hit := s.cache.get(identityKey(key), version); hit != nil {
		return hit
	}
	hit := s.cache.get(key, version)
	if hit == nil || !hit.gzipped {
		return hit
	}
	plain, err := hit.inflated()
	if err != nil {
		return hit // serve inflates it on the way out, and reports the error
	}
	s.cache.put(plain)
	return plain
}

// keep sends a rendered 200, having kept it in the cache if it may be.
func (s *Server) keep(c echo.Context, key string, version int64, cacheable bool, plain []byte) error {
	h := c.Response().Header()
	// A page that says it is not to be kept (the start page while its
	// counts are older than the data) is sent but not kept.
	kept := cacheable && !strings.Contains(h.Get(echo.HeaderCacheControl), "no-store")
	if !kept && !acceptsGzip(c.Request().Header.Get(echo.HeaderAcceptEncoding)) {
		// Compressing would be for nobody.
		entry := &cachedResponse{header: cachedHeaders(h), body: plain, size: len(plain)}
		return entry.serve(c, "miss", nil)
	}
	entry := newCachedResponse(key, version, cachedHeaders(h), plain)
	if kept {
		s.cache.put(entry)
	}
	return entry.serve(c, "miss", plain)
}

// cachedHeaders keeps the headers that belong to the content, not to the
// request (such as its id).
func cachedHeaders(h http.Header) http.Header {
	out := http.Header{}
	for _, k := range []string{echo.HeaderContentType, echo.HeaderContentDisposition, "Link"} {
		if v := h.Values(k); len(v) > 0 {
			out[k] = v
		}
	}
	return out
}
