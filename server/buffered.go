package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// cachedResponse is an answer rendered into memory. Its body is kept
// gzipped where that pays, so that the cache holds several times more
// answers; clients that accept gzip get those bytes as they are, the
// others get them inflated on the way out.
type cachedResponse struct {
	key     string
	version int64
	header  http.Header
	body    []byte
	gzipped bool // body is gzipped
	size    int  // length of the answer uncompressed
	cost    int  // bytes counted against the cache's budget
}

// minGzipBody is below what compressing pays for. Such an answer is kept
// as it is: gzip would save it a few hundred bytes at most, less than the
// entry's overhead, while each client that cannot take gzip would cost an
// inflate.
const minGzipBody = 1024

// entryOverhead is what an entry holds besides its body, key and header
// text: the struct, its list element, its map slot, the header map and
// allocation rounding. The heap grew by 570 to 590 bytes more than those
// per entry with an API list's headers, so that a great many tiny entries
// cannot hold much more than the budget.
const entryOverhead = 640

// newCachedResponse keeps plain gzipped where that makes it smaller, or
// else a copy of it: plain belongs to the recorder.
func newCachedResponse(key string, version int64, header http.Header, plain []byte) *cachedResponse {
	e := &cachedResponse{key: key, version: version, header: header, size: len(plain)}
	if e.compressible() {
		if z := gzipBytes(plain); len(z) < len(plain) {
			e.body, e.gzipped = z, true
		}
	}
	if !e.gzipped {
		e.body = bytes.Clone(plain)
	}
	e.count()
	return e
}

// count sets what the entry costs the cache's budget.
func (e *cachedResponse) count() {
	e.cost = entryOverhead + len(e.key) + cap(e.body)
	for k, vs := range e.header {
		e.cost += len(k)
		for _, v := range vs {
			e.cost += len(v)
		}
	}
}

// identityKey is where the uncompressed copy of the answer kept under key
// is kept, once a client that does not accept gzip asked for it.
func identityKey(key string) string { return key + "|identity" }

// inflated is an uncompressed copy of a gzipped entry, as an entry of its
// own under identityKey.
func (e *cachedResponse) inflated() (*cachedResponse, error) {
	zr, err := gzip.NewReader(bytes.NewReader(e.body))
	if err != nil {
		return nil, err
	}
	plain := bytes.NewBuffer(make([]byte, 0, e.size))
	if _, err := io.Copy(plain, zr); err != nil {
		return nil, err
	}
	c := &cachedResponse{key: identityKey(e.key), version: e.version, header: e.header, body: plain.Bytes(), size: plain.Len()}
	c.count()
	return c, nil
}

// serve sends the answer whole, with its length, gzipped when the client
// accepts it. state says whether it came from the cache; plain, if not
// nil, is the answer uncompressed, at hand after a miss.
func (e *cachedResponse) serve(c echo.Context, state string, plain []byte) error {
	h := c.Response().Header()
	for k, v := range e.header {
		h[k] = v
	}
	h.Set("X-Cache", state)
	if e.compressible() {
		h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
	}
	switch {
	case !e.gzipped:
		return send(c, e.body)
	case acceptsGzip(c.Request().Header.Get(echo.HeaderAcceptEncoding)):
		h.Set(echo.HeaderContentEncoding, "gzip")
		return send(c, e.body)
	case plain != nil:
		return send(c, plain)
	default:
		return e.inflate(c)
	}
}

// compressible says whether the answer is text long enough for gzip to
// pay. It is what the client's Accept-Encoding can change, so it decides
// Vary even where gzip then did not shrink the body.
func (e *cachedResponse) compressible() bool {
	ct := e.header.Get(echo.HeaderContentType)
	return e.size >= minGzipBody &&
		(strings.HasPrefix(ct, "text/") || strings.Contains(ct, "json") || strings.Contains(ct, "xml"))
}

// send sends body whole, with its length.
func send(c echo.Context, body []byte) error {
	res := c.Response()
	res.Header().Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
	writeStatus(res)
	_, err := res.Write(body)
	return err
}

func writeStatus(res *echo.Response) {
	if !res.Committed {
		res.WriteHeader(http.StatusOK)
	}
}

// inflate sends the gzipped body uncompressed, streamed through a pooled
// reader and buffer, so that no uncompressed copy is made.
func (e *cachedResponse) inflate(c echo.Context) error {
	res := c.Response()
	res.Header().Set(echo.HeaderContentLength, strconv.Itoa(e.size))
	writeStatus(res)
	in := inflaters.Get().(*inflater)
	defer func() {
		// Not to hold on to the body of an entry since evicted.
		in.src.Reset(nil)
		inflaters.Put(in)
	}()
	in.src.Reset(e.body)
	if err := in.zr.Reset(&in.src); err != nil {
		return err
	}
	_, err := io.CopyBuffer(res, &in.zr, in.buf[:])
	return err
}

type inflater struct {
	src bytes.Reader
	zr  gzip.Reader
	buf [16 << 10]byte
}

var inflaters = sync.Pool{New: func() any { return new(inflater) }}

// deflater compresses into a scratch buffer, so that what is kept is an
// exact-size copy and the budget counts what is really held.
type deflater struct {
	zw  *gzip.Writer
	out bytes.Buffer
}

// BestSpeed: it makes a 22 KB list answer 2.2 KB in 70 µs; level 6 makes
// it 1.8 KB (16% less) in 300 µs, a third of the query behind a miss.
var deflaters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return &deflater{zw: zw}
}}

func gzipBytes(b []byte) []byte {
	d := deflaters.Get().(*deflater)
	defer deflaters.Put(d)
	d.out.Reset()
	d.zw.Reset(&d.out)
	// Writing to memory cannot fail.
	d.zw.Write(b)
	d.zw.Close()
	return bytes.Clone(d.out.Bytes())
}

// acceptsGzip reads an Accept-Encoding header: gzip (or *) listed, and not
// with q=0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		if name = strings.TrimSpace(name); name != "gzip" && name != "*" {
			continue
		}
		if q, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			v, err := strconv.ParseFloat(q, 64)
			return err == nil && v > 0
		}
		return true
	}
	return false
}

// recorder holds back what a handler writes, so that the answer can be
// kept and sent whole. An answer larger than maxCachedBody is let through
// as it comes.
type recorder struct {
	http.ResponseWriter
	status  int
	buf     *bytes.Buffer
	passing bool
}

// recordings are the buffers answers are rendered into. The cache keeps a
// compressed copy, never the buffer, so that after the answer is sent the
// buffer can take the next one: growing a new one was 26 KB of the 207 KB
// a list's miss allocated.
var recordings = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func newRecorder(w http.ResponseWriter) *recorder {
	return &recorder{ResponseWriter: w, buf: recordings.Get().(*bytes.Buffer)}
}

// release gives the buffer back, once what it held has been sent.
func (r *recorder) release() {
	if r.buf != nil {
		r.buf.Reset()
		recordings.Put(r.buf)
		r.buf = nil
	}
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	if !r.passing && r.buf.Len()+len(b) > maxCachedBody {
		r.passing = true
		r.ResponseWriter.WriteHeader(r.status)
		_, err := r.ResponseWriter.Write(r.buf.Bytes())
		r.release()
		if err != nil {
			return 0, err
		}
	}
	if r.passing {
		return r.ResponseWriter.Write(b)
	}
	return r.buf.Write(b)
}

// finish sends what was held back of an answer that is not kept.
func (r *recorder) finish() {
	if r.passing || r.status == 0 {
		return
	}
	r.ResponseWriter.WriteHeader(r.status)
	r.ResponseWriter.Write(r.buf.Bytes())
}
