package egress

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Resolver looks names up; *net.Resolver is one, and tests pass their own.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Guard refuses addresses that are not globally routable, except the
// ranges the operator allows (AMENDS_WEBHOOK_ALLOW_CIDRS).
type Guard struct {
	allow    []netip.Prefix
	resolver Resolver
}

// New is a guard that allows the given private ranges, resolving names
// with the system's resolver.
func New(allow []netip.Prefix) *Guard {
	return &Guard{allow: allow, resolver: net.DefaultResolver}
}

// WithResolver is a copy of the guard that resolves names with r.
func (g *Guard) WithResolver(r Resolver) *Guard {
	c := *g
	c.resolver = r
	return &c
}

// Allowed lists the ranges the operator allows, for documentation pages
// and start-up logs.
func (g *Guard) Allowed() []netip.Prefix { return g.allow }

// ParseAllow reads a list of CIDRs or single addresses, separated by
// commas or spaces.
func ParseAllow(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' }) {
		if a, err := netip.ParseAddr(f); err == nil {
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("%q is not a CIDR such as 10.20.0.0/16", f)
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// RefusedError is an address amends will not connect to, and why.
type RefusedError struct {
	Addr   netip.Addr
	Reason string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("%s is not a public address: %s", e.Addr, e.Reason)
}

// Check refuses an address that is not globally routable, unless allowed.
// An IPv4-mapped IPv6 address is judged as the IPv4 address it is; a 6to4
// or NAT64 address by the IPv4 address it carries as well.
func (g *Guard) Check(a netip.Addr) error {
	a = a.WithZone("")
	if a.Is4In6() {
		a = a.Unmap()
	}
	if g.allowed(a) {
		return nil
	}
	if a.Is4() {
		for _, s := range specialV4 {
			if s.prefix.Contains(a) {
				return &RefusedError{a, s.reason}
			}
		}
		return nil
	}
	if v4, ok := embeddedV4(a); ok {
		if err := g.Check(v4); err != nil {
			var r *RefusedError
			errors.As(err, &r)
			return &RefusedError{a, fmt.Sprintf("it carries %s, %s", v4, r.Reason)}
		}
	}
	for _, s := range specialV6 {
		if s.prefix.Contains(a) {
			return &RefusedError{a, s.reason}
		}
	}
	if !globalUnicastV6.Contains(a) {
		return &RefusedError{a, "outside the global unicast range 2000::/3"}
	}
	return nil
}

func (g *Guard) allowed(a netip.Addr) bool {
	for _, p := range g.allow {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// saveLookup bounds the name lookup when a URL is saved.
const saveLookup = 3 * time.Second

// CheckURL is the check when a webhook URL is saved: an http(s) URL whose
// host is a public address, or a name none of whose addresses is refused.
// A name that does not resolve now is let through: the connection is
// checked again, and its failures are in the delivery log.
func (g *Guard) CheckURL(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Hostname() == "" || u.User != nil {
		return errors.New("must be an http or https URL without credentials")
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if a, err := netip.ParseAddr(host); err == nil {
		return g.Check(a)
	}
	if numericHost(host) {
		return fmt.Errorf("%s is not an IP address written in the usual form", host)
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return fmt.Errorf("%s is the local machine", host)
	}
	ctx, cancel := context.WithTimeout(ctx, saveLookup)
	defer cancel()
	addrs, err := g.resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil
	}
	for _, a := range addrs {
		if err := g.Check(a); err != nil {
			return fmt.Errorf("%s resolves to %w", host, err)
		}
	}
	return nil
}

// numericHost reports whether every label of host is a number (decimal,
// octal or 0x hex), which some resolvers read as an IPv4 address
// ("2130706433", "0x7f.1").
func numericHost(host string) bool {
	for _, l := range strings.Split(host, ".") {
		if hex, ok := strings.CutPrefix(l, "0x"); ok {
			if _, err := strconv.ParseUint(hex, 16, 64); err != nil && hex != "" {
				return false
			}
			continue
		}
		if l == "" || strings.Trim(l, "0123456789") != "" {
			return false
		}
	}
	return true
}

// dialTimeout bounds each connection attempt.
const dialTimeout = 5 * time.Second

// DialContext connects like net.Dialer.DialContext, but resolves the name
// itself and refuses when any of its addresses is refused; the dialer's
// Control checks the address once more just before connecting.
func (g *Guard) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, portText, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	port, err := strconv.ParseUint(portText, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("port %q: %w", portText, err)
	}
	addrs, err := g.resolve(ctx, host)
	if err != nil {
		return nil, err
	}
	d := &net.Dialer{Timeout: dialTimeout, Control: g.control}
	var errs []error
	for _, a := range addrs {
		conn, err := d.DialContext(ctx, network, netip.AddrPortFrom(a, uint16(port)).String())
		if err == nil {
			return conn, nil
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errs...)
}

func (g *Guard) resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, g.Check(a)
	}
	addrs, err := g.resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, fmt.Errorf("look up %s: %w", host, err)
	}
	for _, a := range addrs {
		if err := g.Check(a); err != nil {
			return nil, fmt.Errorf("refusing to connect to %s: %w", host, err)
		}
	}
	return addrs, nil
}

// control is the last check, on the address the socket connects to.
func (g *Guard) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("refusing to connect to %s: %w", address, err)
	}
	if err := g.Check(ap.Addr()); err != nil {
		return fmt.Errorf("refusing to connect: %w", err)
	}
	return nil
}
