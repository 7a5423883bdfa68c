package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// Limits bound what one request may cost before any work is done for it:
// how long its client may take, and how large its body may be.
type Limits struct {
	// ReadHeaderTimeout bounds the request line and headers; ReadTimeout
	// the whole request, body included; WriteTimeout the answer;
	// IdleTimeout a kept-alive connection between requests.
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// MaxBody bounds forms and JSON; MaxUpload the routes that take a
	// file or a delivery (OpenSLO uploads, GitHub webhooks).
	MaxBody, MaxUpload int64
}

// DefaultLimits are the limits of a server whose operator set none. A
// form or JSON object of amends is a few kilobytes; the largest, a
// postmortem, stays well under 64 KiB. GitHub's issue events amends reads
// are tens of kilobytes (an issue's body is at most 65,536 characters).
func DefaultLimits() Limits {
	return Limits{
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second,
		MaxBody: 64 << 10, MaxUpload: 1 << 20,
	}
}

// uploadRoutes take a file or a delivery, up to Limits.MaxUpload.
var uploadRoutes = map[string]bool{
	"/api/v1/customers/:id/slos/openslo": true,
	"/customers/:id/slos/openslo":        true,
	"/webhooks/github":                   true,
}

// readBodyFirst reads the whole request body into memory, at most the
// route's limit, before anything else runs: no session lookup, CSRF check,
// lock, hash or query starts for a request whose body is still arriving,
// and a body over the limit is refused with 413 without being parsed.
// Forms are parsed here from the bounded copy, so a multipart upload never
// spills to disk.
func (s *Server) readBodyFirst(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Body == nil || req.Body == http.NoBody {
			return next(c)
		}
		limit := s.cfg.Limits.MaxBody
		if uploadRoutes[c.Path()] {
			limit = s.cfg.Limits.MaxUpload
		}
		if req.ContentLength > limit {
			return bodyTooLarge(limit)
		}
		body, err := readLimited(http.MaxBytesReader(c.Response(), req.Body, limit), req.ContentLength)
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			return bodyTooLarge(limit)
		case isTimeout(err):
			return errRequestTimeout
		case err != nil:
			return badRequest("bad_request", "could not read the request body", nil)
		}
		req.Body = &readBody{Reader: bytes.NewReader(body), body: body}
		if err := parseForm(req, limit); err != nil {
			return err
		}
		return next(c)
	}
}

// readBody is a request body read whole by readBodyFirst.
type readBody struct {
	*bytes.Reader
	body []byte
}

func (readBody) Close() error { return nil }

// requestBody is the request's body, as read by readBodyFirst (and so at
// most the route's limit) without copying it again.
func requestBody(c echo.Context) ([]byte, error) {
	if b, ok := c.Request().Body.(*readBody); ok {
		return b.body, nil
	}
	return io.ReadAll(c.Request().Body) // no body: a GET, or a test calling a handler directly
}

// readLimited reads r into a buffer of the announced length when there
// is one and it is small: io.ReadAll would grow its buffer from 512
// bytes. A large announced length is not trusted with memory before the
// bytes arrive.
func readLimited(r io.Reader, announced int64) ([]byte, error) {
	if announced > 0 && announced <= 64<<10 {
		buf := make([]byte, announced)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		// A client that sends more than it announced is cut off there.
		return buf, nil
	}
	return io.ReadAll(r)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// parseForm parses a form body now, from memory, so that a bad form is
// a 400 here rather than fields that silently read as empty later.
func parseForm(req *http.Request, limit int64) error {
	ct := req.Header.Get(echo.HeaderContentType)
	var err error
	switch {
	case strings.HasPrefix(ct, echo.MIMEApplicationForm):
		err = req.ParseForm()
	case strings.HasPrefix(ct, echo.MIMEMultipartForm):
		// The whole body is in memory already and at most limit bytes,
		// so the parts stay in memory too.
		err = req.ParseMultipartForm(limit + 1)
	default:
		return nil
	}
	if err != nil {
		return badRequest("bad_form", "the form could not be read", nil)
	}
	return nil
}

func bodyTooLarge(limit int64) *APIError {
	return &APIError{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large",
		Message: fmt.Sprintf("the request body is too large (at most %s)", sizeText(limit))}
}

var errRequestTimeout = &APIError{Status: http.StatusRequestTimeout, Code: "request_timeout",
	Message: "the request body took too long to arrive"}

// sizeText writes a byte count the way the docs do: 64 KiB, 1 MiB.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// httpServer is the net/http server for the handler, with the limits'
// timeouts: a client that sends its headers or body slowly is cut off
// rather than held on to.
func (s *Server) httpServer() *http.Server {
	l := s.cfg.Limits
	return &http.Server{Addr: s.cfg.Addr, Handler: s.echo,
		ReadHeaderTimeout: l.ReadHeaderTimeout, ReadTimeout: l.ReadTimeout,
		WriteTimeout: l.WriteTimeout, IdleTimeout: l.IdleTimeout,
		MaxHeaderBytes: 64 << 10}
}

// withDefaults fills the limits the operator left at zero.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	for _, f := range []struct{ v, def *time.Duration }{
		{&l.ReadHeaderTimeout, &d.ReadHeaderTimeout}, {&l.ReadTimeout, &d.ReadTimeout},
		{&l.WriteTimeout, &d.WriteTimeout}, {&l.IdleTimeout, &d.IdleTimeout},
	} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
	if l.MaxBody <= 0 {
		l.MaxBody = d.MaxBody
	}
	if l.MaxUpload <= 0 {
		l.MaxUpload = d.MaxUpload
	}
	return l
}
