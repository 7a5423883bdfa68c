package ghsync

import (
	"bytes"
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// CacheHeader is set, to "revalidated", on a response the ETag cache served
// after GitHub answered 304 Not Modified: the body is the stored one and the
// request did not count against the rate limit.
const CacheHeader = "X-Amends-Cache"

// ETagCache remembers GitHub's answers to GETs with their ETags, so that
// asking again is a conditional request: GitHub answers 304, which costs no
// rate limit, and go-github still sees a 200 with the body. Entries are keyed
// by URL, Accept and a hash of the Authorization header, since GitHub's ETags
// differ per token. It holds at most a given number of bytes, dropping the
// least recently used entries first, and is safe for concurrent use.
type ETagCache struct {
	mu       sync.Mutex
	maxBytes int
	size     int
	order    *list.List // of *CacheEntry, most recently used first
	byKey    map[string]*list.Element
	stats    CacheStats
}

// CacheEntry is one stored answer. Entries are never changed once stored.
type CacheEntry struct {
	Key    string
	ETag   string
	Header http.Header
	Body   []byte
}

func (e *CacheEntry) size() int {
	n := len(e.Key) + len(e.ETag) + len(e.Body)
	for k, vs := range e.Header {
		for _, v := range vs {
			n += len(k) + len(v)
		}
	}
	return n
}

// CacheStats counts what the cache did.
type CacheStats struct {
	// Revalidated is the 304s answered from the cache.
	Revalidated int
	// Stored is the 200s with an ETag that were kept.
	Stored int
	// Evicted is the entries dropped to stay within the size bound.
	Evicted int
}

// NewETagCache returns an empty cache that holds at most maxBytes.
func NewETagCache(maxBytes int) *ETagCache {
	return &ETagCache{maxBytes: maxBytes, order: list.New(), byKey: map[string]*list.Element{}}
}

// Stats returns the counters.
func (c *ETagCache) Stats() CacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

// Len returns the number of entries.
func (c *ETagCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// Snapshot returns a copy of every entry, least recently used first, for a
// caller that persists the cache between runs (a one-shot `amends sync
// github` starts with an empty cache otherwise). Keys hold no token, only
// its hash.
func (c *ETagCache) Snapshot() []CacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]CacheEntry, 0, c.order.Len())
	for el := c.order.Back(); el != nil; el = el.Prev() {
		e := el.Value.(*CacheEntry)
		out = append(out, CacheEntry{Key: e.Key, ETag: e.ETag, Header: e.Header.Clone(), Body: bytes.Clone(e.Body)})
	}
	return out
}

// Restore adds entries from a Snapshot; later ones count as more recent.
func (c *ETagCache) Restore(entries []CacheEntry) {
	for i := range entries {
		e := entries[i]
		c.put(&e)
	}
}

func (c *ETagCache) get(key string) *CacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		return nil
	}
	c.order.MoveToFront(el)
	return el.Value.(*CacheEntry)
}

func (c *ETagCache) put(e *CacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.size() > c.maxBytes {
		return
	}
	if old, ok := c.byKey[e.Key]; ok {
		c.remove(old)
	}
	c.byKey[e.Key] = c.order.PushFront(e)
	c.size += e.size()
	c.stats.Stored++
	for c.size > c.maxBytes {
		c.remove(c.order.Back())
		c.stats.Evicted++
	}
}

func (c *ETagCache) remove(el *list.Element) {
	e := c.order.Remove(el).(*CacheEntry)
	delete(c.byKey, e.Key)
	c.size -= e.size()
}

// Wrap returns a transport that sends GETs through the cache and everything
// else straight to next.
func (c *ETagCache) Wrap(next http.RoundTripper) http.RoundTripper {
	return &etagTransport{cache: c, next: next}
}

type etagTransport struct {
	cache *ETagCache
	next  http.RoundTripper
}

func (t *etagTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// A caller that asks conditionally or for a range wants GitHub's own answer.
	if req.Method != http.MethodGet || req.Header.Get("If-None-Match") != "" || req.Header.Get("Range") != "" {
		return t.next.RoundTrip(req)
	}
	key := cacheKey(req)
	entry := t.cache.get(key)
	if entry != nil {
		req = req.Clone(req.Context())
		req.Header.Set("If-None-Match", entry.ETag)
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	switch {
	case resp.StatusCode == http.StatusNotModified && entry != nil:
		return t.cache.serve(entry, resp), nil
	case resp.StatusCode == http.StatusOK && resp.Header.Get("ETag") != "":
		return t.cache.store(key, resp)
	}
	return resp, nil
}

func cacheKey(req *http.Request) string {
	auth := sha256.Sum256([]byte(req.Header.Get("Authorization")))
	return req.URL.String() + "\n" + req.Header.Get("Accept") + "\n" + hex.EncodeToString(auth[:])
}

// serve answers from entry, with the 304's headers on top: they carry the
// current rate-limit figures. It does not set go-github's X-From-Cache, so
// go-github keeps its rate-limit state from those fresh headers.
func (c *ETagCache) serve(entry *CacheEntry, notModified *http.Response) *http.Response {
	_, _ = io.Copy(io.Discard, notModified.Body)
	notModified.Body.Close()
	h := entry.Header.Clone()
	for k, vs := range notModified.Header {
		h[k] = vs
	}
	h.Set("Content-Length", strconv.Itoa(len(entry.Body)))
	h.Set(CacheHeader, "revalidated")
	c.mu.Lock()
	c.stats.Revalidated++
	c.mu.Unlock()
	resp := *notModified
	resp.Status, resp.StatusCode = "200 OK", http.StatusOK
	resp.Header = h
	resp.Body = io.NopCloser(bytes.NewReader(entry.Body))
	resp.ContentLength = int64(len(entry.Body))
	return &resp
}

func (c *ETagCache) store(key string, resp *http.Response) (*http.Response, error) {
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("ghsync: read %s: %w", resp.Request.URL.Redacted(), err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	c.put(&CacheEntry{Key: key, ETag: resp.Header.Get("ETag"), Header: resp.Header.Clone(), Body: body})
	return resp, nil
}
