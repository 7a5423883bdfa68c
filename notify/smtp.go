package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	mail "github.com/wneessen/go-mail"
)

// SMTPConfig is where mail goes and whom it comes from.
type SMTPConfig struct {
	URL  string // smtp://user:pass@host:port or smtps://…
	From string
	// Timeout bounds each SMTP step; zero means 30 seconds.
	Timeout time.Duration
}

// SMTP sends through an SMTP server with go-mail. smtp:// uses STARTTLS
// when the server offers it and plain text otherwise, so a local relay
// works (go-mail's default would refuse it); smtps:// is implicit TLS.
type SMTP struct {
	opts []mail.Option
	host string
	from string
}

// NewSMTP checks the settings and builds the transport; errors name the
// setting that is wrong.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || u.Hostname() == "" {
		return nil, fmt.Errorf("AMENDS_SMTP_URL: want smtp://user:pass@host:port or smtps://…")
	}
	if cfg.From == "" {
		return nil, errors.New("AMENDS_MAIL_FROM: set the sender address of amends' mail")
	}
	if err := mail.NewMsg().From(cfg.From); err != nil {
		return nil, fmt.Errorf("AMENDS_MAIL_FROM: %w", err)
	}
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	opts := []mail.Option{mail.WithTimeout(timeout)}
	port := 25
	switch u.Scheme {
	case "smtp":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	case "smtps":
		port = 465
		opts = append(opts, mail.WithSSL())
	default:
		return nil, fmt.Errorf("AMENDS_SMTP_URL: scheme %q: want smtp or smtps", u.Scheme)
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("AMENDS_SMTP_URL: bad port %q", p)
		}
	}
	opts = append(opts, mail.WithPort(port))
	if u.User != nil {
		pass, _ := u.User.Password()
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(u.User.Username()), mail.WithPassword(pass))
	}
	return &SMTP{opts: opts, host: u.Hostname(), from: cfg.From}, nil
}

// Open dials the server for one batch.
func (s *SMTP) Open(ctx context.Context) (Conn, error) {
	c, err := mail.NewClient(s.host, s.opts...)
	if err != nil {
		return nil, fmt.Errorf("smtp client for %s: %w", s.host, err)
	}
	if err := c.DialWithContext(ctx); err != nil {
		return nil, fmt.Errorf("dial %s: %w", s.host, err)
	}
	return &smtpConn{c: c, from: s.from}, nil
}

type smtpConn struct {
	c    *mail.Client
	from string
}

func (c *smtpConn) Send(ctx context.Context, m *Message) error {
	msg, err := toMsg(m, c.from)
	if err != nil {
		return &PermanentError{err}
	}
	err = c.c.Send(msg)
	var se *mail.SendError
	if errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 {
		return &PermanentError{err}
	}
	return err
}

func (c *smtpConn) Close() error { return c.c.Close() }

// toMsg builds the MIME message: text first, HTML as the alternative, so
// every client shows one of them. Its Message-ID derives from the key, so
// that a receiving server that deduplicates sees a resend as the same mail.
func toMsg(m *Message, from string) (*mail.Msg, error) {
	msg := mail.NewMsg()
	if err := msg.From(from); err != nil {
		return nil, fmt.Errorf("from %q: %w", from, err)
	}
	if err := msg.To(m.Recipient); err != nil {
		return nil, fmt.Errorf("to %q: %w", m.Recipient, err)
	}
	msg.Subject(m.Subject)
	msg.SetDateWithValue(m.CreatedAt)
	sum := sha256.Sum256([]byte(m.Key))
	msg.SetMessageIDWithValue(hex.EncodeToString(sum[:16]) + "@amends." + domainOf(from))
	for k, v := range m.Headers {
		msg.SetGenHeader(mail.Header(k), v)
	}
	msg.SetBodyString(mail.TypeTextPlain, m.TextBody)
	if m.HTMLBody != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTMLBody)
	}
	return msg, nil
}

func domainOf(addr string) string {
	at := strings.LastIndex(addr, "@")
	return strings.Trim(addr[at+1:], "<> ")
}

// SendTest sends one test message to to at once, outside the outbox, and
// returns the server's answer to it, or its refusal as the error.
func (s *SMTP) SendTest(ctx context.Context, to string) (string, error) {
	now := time.Now().UTC()
	m := &Message{Key: "test|" + to + "|" + now.Format(time.RFC3339Nano), Recipient: to, CreatedAt: now,
		Subject: "amends: test message", TextBody: "This is a test message from amends, sent at " +
			now.Format(time.RFC1123) + ". Mail from amends reaches this address."}
	msg, err := toMsg(m, s.from)
	if err != nil {
		return "", err
	}
	c, err := mail.NewClient(s.host, s.opts...)
	if err != nil {
		return "", fmt.Errorf("smtp client for %s: %w", s.host, err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return "", fmt.Errorf("send to %s via %s: %w", to, s.host, err)
	}
	// go-mail keeps the text of the reply to DATA; its code, on
	// acceptance, is always 250.
	return "250 " + msg.ServerResponse(), nil
}
