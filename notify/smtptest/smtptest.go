// Package smtptest runs a real SMTP server in-process for tests, with
// emersion/go-smtp: it records what it accepts and can refuse on demand.
package smtptest

import (
	"errors"
	"io"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Mail is one accepted message.
type Mail struct {
	From string
	To   []string
	Raw  string
	Msg  *mail.Message
	Body string // the raw body, MIME parts included
}

// Server is a running test server.
type Server struct {
	Addr string
	mu   sync.Mutex
	mail []Mail
	// Refuse, when set, is asked before each DATA with the count accepted so
	// far; a non-nil error is the server's reply.
	Refuse func(accepted int) error
}

// Start runs a server until the test ends. It offers no TLS, like a local
// relay, which is what smtp:// must cope with.
func Start(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	s := &Server{Addr: ln.Addr().String()}
	srv := smtp.NewServer(backend{s})
	srv.Domain, srv.ReadTimeout, srv.WriteTimeout = "localhost", 10*time.Second, 10*time.Second
	srv.AllowInsecureAuth = true
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

// URL is the smtp:// URL of the server.
func (s *Server) URL() string { return "smtp://" + s.Addr }

// Mail lists what the server accepted.
func (s *Server) Mail() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mail...)
}

// TempFailure is a 451 reply: try again later.
var TempFailure = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}

type backend struct{ s *Server }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s    *Server
	from string
	to   []string
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }
func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}
func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if x.s.Refuse != nil {
		if err := x.s.Refuse(len(x.s.mail)); err != nil {
			return err
		}
	}
	m, err := mail.ReadMessage(strings.NewReader(string(b)))
	if err != nil {
		return errors.Join(&smtp.SMTPError{Code: 554, Message: "unparseable"}, err)
	}
	body, _ := io.ReadAll(m.Body)
	x.s.mail = append(x.s.mail, Mail{From: x.from, To: x.to, Raw: string(b), Msg: m, Body: string(body)})
	return nil
}
