package server

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// listJSON is an API list of n items, as compressible as a real one.
func listJSON(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	var b strings.Builder
	b.WriteString(`{"items":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"title":"Follow-up %d","assignee":"engineer%d@provider.example","priority":"P%d","status":"open","due_date":"2026-%02d-%02d"}`,
			r.IntN(1e6), r.IntN(1e4), r.IntN(500), r.IntN(4), 1+r.IntN(12), 1+r.IntN(28))
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(2, 3))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func contentType(ct string) http.Header {
	return http.Header{echo.HeaderContentType: {ct}}
}

// TestCachedResponseServesEveryClientTheSameAnswer sends each kind of
// answer, as kept, to a gzip client and to a plain one, as a hit and as
// the miss that had the answer at hand uncompressed.
func TestCachedResponseServesEveryClientTheSameAnswer(t *testing.T) {
	scenarios := []struct {
		name        string
		header      http.Header
		plain       []byte
		wantGzipped bool
	}{
		{"list", contentType("application/json"), listJSON(1, 200), true},
		{"page", contentType("text/html; charset=utf-8"), bytes.Repeat([]byte("<tr><td>row</td></tr>\n"), 100), true},
		{"small answer", contentType("application/json"), listJSON(1, 3), false},
		{"text gzip cannot shrink", contentType("application/json"), randomBytes(4096), false},
		{"image", contentType("image/png"), bytes.Repeat([]byte("png"), 1000), false},
		{"empty", contentType("application/json"), nil, false},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			entry := newCachedResponse("k", 1, sc.header, sc.plain)
			if entry.gzipped != sc.wantGzipped {
				t.Fatalf("kept gzipped: %v, want %v", entry.gzipped, sc.wantGzipped)
			}
			if entry.gzipped && len(entry.body) >= len(sc.plain)/2 {
				t.Errorf("kept %d bytes for %d", len(entry.body), len(sc.plain))
			}
			for _, accept := range []string{"gzip", ""} {
				for _, plain := range [][]byte{nil, sc.plain} {
					rec := httptest.NewRecorder()
					c := echo.New().NewContext(httptest.NewRequest("GET", "/", nil), rec)
					c.Request().Header.Set(echo.HeaderAcceptEncoding, accept)
					if err := entry.serve(c, "hit", plain); err != nil {
						t.Fatal(err)
					}
					gzipped := rec.Header().Get(echo.HeaderContentEncoding) == "gzip"
					if gzipped != (entry.gzipped && accept == "gzip") {
						t.Errorf("Accept-Encoding %q: gzipped %v", accept, gzipped)
					}
					if got := SentBody(t, rec); !bytes.Equal(got, sc.plain) {
						t.Errorf("Accept-Encoding %q, plain at hand %v: %d bytes received differ from the %d rendered", accept, plain != nil, len(got), len(sc.plain))
					}
				}
			}
		})
	}
}

// SentBody checks that an answer's Content-Length is the length of what
// was sent, and returns the body, gunzipped if it was sent gzipped.
// Exported for the package's external tests too.
func SentBody(t *testing.T, rec *httptest.ResponseRecorder) []byte {
	t.Helper()
	body := rec.Body.Bytes()
	if n, err := strconv.Atoi(rec.Header().Get(echo.HeaderContentLength)); err != nil || n != len(body) {
		t.Fatalf("Content-Length %q for %d bytes", rec.Header().Get(echo.HeaderContentLength), len(body))
	}
	if rec.Header().Get(echo.HeaderContentEncoding) != "gzip" {
		return body
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return plain
}

// TestReadCacheCountsWhatItHolds fills small caches with many answers and
// checks after each one that the entries held cost no more than the
// budget, counting kept (compressed) bodies and each entry's overhead.
func TestReadCacheCountsWhatItHolds(t *testing.T) {
	const budget = 1 << 20
	scenarios := []struct {
		name     string
		n        int
		answer   func(i int) []byte
		wantKept int // at least
	}{
		// 5.4 MB of lists uncompressed, some 870 KB as kept: all stay.
		{"lists that fit only compressed", 200, func(i int) []byte { return listJSON(uint64(i), 200) }, 200},
		{"tiny answers", 20000, func(int) []byte { return []byte(`{}`) }, 1000},
		{"answers gzip cannot shrink", 200, func(int) []byte { return randomBytes(20 << 10) }, 40},
		// One answer larger than the budget is not kept, nor does it
		// push the others out.
		{"an answer larger than the budget", 10, func(i int) []byte {
			if i == 5 {
				return randomBytes(budget)
			}
			return listJSON(uint64(i), 200)
		}, 9},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			rc := newReadCache(budget)
			plainTotal := 0
			for i := range sc.n {
				plain := sc.answer(i)
				plainTotal += len(plain)
				rc.put(newCachedResponse(strconv.Itoa(i), 1, contentType("application/json"), plain))
				if held := heldCost(t, rc); held != rc.size || held > budget {
					t.Fatalf("after %d answers: entries cost %d, counted %d, budget %d", i+1, held, rc.size, budget)
				}
			}
			kept := 0
			for i := range sc.n {
				if rc.get(strconv.Itoa(i), 1) != nil {
					kept++
				}
			}
			if kept != len(rc.entries) || kept < sc.wantKept {
				t.Errorf("%d answers of %d (%d bytes uncompressed) kept, %d held, want at least %d",
					kept, sc.n, plainTotal, len(rc.entries), sc.wantKept)
			}
		})
	}
}

// heldCost adds up the cost of the entries in the cache, each at least
// what it holds.
func heldCost(t *testing.T, rc *readCache) int {
	t.Helper()
	n := 0
	for el := rc.order.Front(); el != nil; el = el.Next() {
		e := el.Value.(*cachedResponse)
		if e.cost < entryOverhead+len(e.key)+cap(e.body) {
			t.Fatalf("entry %q costs %d, holds a %d-byte body", e.key, e.cost, cap(e.body))
		}
		n += e.cost
	}
	return n
}

// TestReadCacheDropsAnswersOfAnOlderVersion: once the database has moved
// on, an answer is neither served nor counted any more.
func TestReadCacheDropsAnswersOfAnOlderVersion(t *testing.T) {
	rc := newReadCache(1 << 20)
	rc.put(newCachedResponse("old", 1, contentType("application/json"), listJSON(1, 100)))
	rc.put(newCachedResponse("new", 2, contentType("application/json"), listJSON(2, 100)))
	if rc.get("old", 2) != nil || rc.get("old", 1) != nil {
		t.Error("an answer of an older version is served")
	}
	if rc.get("new", 2) == nil || len(rc.entries) != 1 || rc.size != heldCost(t, rc) {
		t.Errorf("%d entries left costing %d, counted %d", len(rc.entries), heldCost(t, rc), rc.size)
	}
}

// TestRecorderHoldsBackOnlyWhatItMayKeep writes answers in chunks: up to
// maxCachedBody they are held until finish, beyond it all of it is let
// through, in order, as it comes.
func TestRecorderHoldsBackOnlyWhatItMayKeep(t *testing.T) {
	for _, sc := range []struct {
		name        string
		size        int
		wantPassing bool
	}{
		{"small", 1000, false},
		{"as large as may be kept", maxCachedBody, false},
		{"larger", maxCachedBody + 1, true},
		{"much larger", 3 * maxCachedBody, true},
	} {
		t.Run(sc.name, func(t *testing.T) {
			answer := randomBytes(sc.size)
			w := httptest.NewRecorder()
			rec := newRecorder(w)
			defer rec.release()
			rec.WriteHeader(http.StatusCreated)
			for rest := answer; len(rest) > 0; {
				n := min(len(rest), 10000)
				if _, err := rec.Write(rest[:n]); err != nil {
					t.Fatal(err)
				}
				rest = rest[n:]
			}
			if rec.passing != sc.wantPassing || (w.Body.Len() > 0) != sc.wantPassing {
				t.Fatalf("passing %v with %d bytes let through, want passing %v", rec.passing, w.Body.Len(), sc.wantPassing)
			}
			if !sc.wantPassing && !bytes.Equal(rec.buf.Bytes(), answer) {
				t.Fatal("held back something else than the answer")
			}
			rec.finish()
			if w.Code != http.StatusCreated || !bytes.Equal(w.Body.Bytes(), answer) {
				t.Errorf("sent %d with %d bytes, want %d with the %d written", w.Code, w.Body.Len(), http.StatusCreated, len(answer))
			}
		})
	}
}

// A client that does not accept gzip gets the answer uncompressed, from
// its second request on from a copy kept for it, which goes with the
// gzipped answer when the data changes.
func TestCacheKeepsAnUncompressedCopyForClientsWithoutGzip(t *testing.T) {
	s := &Server{cache: newReadCache(1 << 20)}
	plain := listJSON(1, 200)
	s.cache.put(newCachedResponse("k", 1, contentType("application/json"), plain))
	ask := func(acceptEncoding string, version int64) *cachedResponse {
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set(echo.HeaderAcceptEncoding, acceptEncoding)
		return s.cacheHit(echo.New().NewContext(req, httptest.NewRecorder()), "k", version)
	}
	first := ask("", 1)
	if first == nil || first.gzipped || !bytes.Equal(first.body, plain) {
		t.Fatalf("a client without gzip got %+v, want the answer uncompressed", first)
	}
	if again := ask("identity", 1); again != first {
		t.Fatal("the second request without gzip did not get the copy kept for it")
	}
	if gz := ask("gzip", 1); gz == nil || !gz.gzipped {
		t.Fatalf("a gzip client got %+v, want the gzipped answer", gz)
	}
	if got := ask("", 2); got != nil {
		t.Fatal("an answer of an older version was served")
	}
	if s.cache.size != 0 {
		t.Fatalf("%d bytes still held after the data changed", s.cache.size)
	}
}
