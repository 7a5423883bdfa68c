package server

import (
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// throttle slows down repeated sign-ins per key. Sign-in keys one counter
// on the account (across every address) and one on the client address
// (across every account): after a few free attempts each failure doubles
// the key's wait, up to a cap. An attempt counts from the moment it
// starts, so a flood of concurrent guesses is slowed as surely as a loop.
type throttle struct {
	mu        sync.Mutex
	now       func() time.Time
	fails     map[string]*failures
	lastSweep time.Time
}

type failures struct {
	count int
	until time.Time
	last  time.Time
}

const (
	// An account gets 5 attempts before it waits; an address, which may
	// be an office behind one NAT, 10 (and a success gives one back).
	freeAccountAttempts = 5
	freeAddressAttempts = 10
	maxWait             = 5 * time.Minute
	forgetAfter         = 30 * time.Minute
	// maxThrottleKeys bounds the memory of an attack with many emails or
	// addresses; past it, keys nobody failed with lately are forgotten.
	maxThrottleKeys = 100_000
)

func newThrottle() *throttle {
	return &throttle{now: time.Now, fails: map[string]*failures{}}
}

// signIn is one sign-in's pair of keys. A sign-in through the identity
// provider has no account key (the provider guards its accounts): only
// its address is counted.
type signIn struct{ account, address string }

// addressOnly is the keys of a sign-in that names no account yet.
func addressOnly(ip string) signIn {
	return signIn{address: "address:" + addressKey(ip)}
}

func signInKeys(email, ip string) signIn {
	return signIn{account: "account:" + email, address: "address:" + addressKey(ip)}
}

// begin counts an attempt on both keys, unless either must still wait:
// then it returns how long, and counts nothing.
func (t *throttle) begin(k signIn) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	wait := max(t.waitLocked(k.account, now), t.waitLocked(k.address, now))
	if wait > 0 {
		return wait
	}
	t.sweep(now)
	if k.account != "" {
		t.count(k.account, freeAccountAttempts, now)
	}
	t.count(k.address, freeAddressAttempts, now)
	return 0
}

// succeeded clears the account's failures and gives the address back the
// attempt: a colleague signing in from the same office is not a guess.
func (t *throttle) succeeded(k signIn) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.fails, k.account)
	if f := t.fails[k.address]; f != nil {
		f.count--
		if f.count <= 0 {
			delete(t.fails, k.address)
		}
	}
}

func (t *throttle) waitLocked(key string, now time.Time) time.Duration {
	if f := t.fails[key]; f != nil {
		return max(0, f.until.Sub(now))
	}
	return 0
}

func (t *throttle) count(key string, free int, now time.Time) {
	f := t.fails[key]
	if f == nil {
		f = &failures{}
		t.fails[key] = f
	}
	f.count++
	f.last = now
	if f.count >= free {
		wait := time.Second << min(f.count-free, 9)
		f.until = now.Add(min(wait, maxWait))
	}
}

// sweep forgets old failures, once a minute or when the map is full, so
// that it cannot grow without bound.
func (t *throttle) sweep(now time.Time) {
	full := len(t.fails) >= maxThrottleKeys
	if !full && now.Sub(t.lastSweep) < time.Minute {
		return
	}
	t.lastSweep = now
	forget := forgetAfter
	if full {
		forget = maxWait
	}
	for k, f := range t.fails {
		if now.Sub(f.last) > forget && now.After(f.until) {
			delete(t.fails, k)
		}
	}
}

// addressKey is the throttle's key for a client address: IPv6 clients are
// keyed by their /64, which one host usually holds whole.
func addressKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}

// clientIP picks the client's address: the peer's, unless the peer is one
// of the trusted proxies, whose X-Forwarded-For is then read from the
// right, skipping the trusted hops. Echo's own default believes any
// X-Forwarded-For, which let a client rotate it past the throttle.
func clientIP(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
