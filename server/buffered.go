package server

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

type cachedResponse struct {
	key     string
	version int64
	header  http.Header
	body    []byte

	gzipOnce sync.Once
	gzipped  []byte
}

// minGzipBody is below what compressing pays for.
const minGzipBody = 1024

// serve sends the answer whole, with its length, gzipped when the client
// accepts it. state says whether it came from the cache.
func (e *cachedResponse) serve(c echo.Context, state string) error {
	res := c.Response()
	h := res.Header()
	for k, v := range e.header {
		h[k] = v
	}
	h.Set("X-Cache", state)
	body := e.body
	if e.compressible() {
		h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
		if acceptsGzip(c.Request().Header.Get(echo.HeaderAcceptEncoding)) {
			h.Set(echo.HeaderContentEncoding, "gzip")
			body = e.compressed()
		}
	}
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
	if !res.Committed {
		res.WriteHeader(http.StatusOK)
	}
	_, err := res.Write(body)
	return err
}

func (e *cachedResponse) compressible() bool {
	ct := e.header.Get(echo.HeaderContentType)
	return len(e.body) >= minGzipBody &&
		(strings.HasPrefix(ct, "text/") || strings.Contains(ct, "json") || strings.Contains(ct, "xml"))
}

// compressed is the gzipped body, made the first time a client asks for it.
func (e *cachedResponse) compressed() []byte {
	e.gzipOnce.Do(func() { e.gzipped = gzipBytes(e.body) })
	return e.gzipped
}

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return w
}}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b) / 4)
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(&buf)
	// Writing to memory cannot fail.
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
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
	buf     bytes.Buffer
	passing bool
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
		if _, err := r.ResponseWriter.Write(r.buf.Bytes()); err != nil {
			return 0, err
		}
		r.buf = bytes.Buffer{}
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
