package egress_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/amendsdev/amends/subscribe/egress"
)

// TestCheckRefusesEverySpecialRange: one address in (or at the edge of)
// every range that is not globally routable is refused with its reason,
// and public neighbours just outside are let through.
func TestCheckRefusesEverySpecialRange(t *testing.T) {
	g := egress.New(nil)
	refused := []struct{ addr, reason string }{
		{"0.0.0.0", "this network"},
		{"0.255.255.255", "this network"},
		{"10.0.0.1", "private"},
		{"10.255.255.255", "private"},
		{"100.64.0.1", "shared address space"},
		{"100.100.100.200", "shared address space"},
		{"100.127.255.255", "shared address space"},
		{"127.0.0.1", "loopback"},
		{"127.255.255.254", "loopback"},
		{"169.254.169.254", "link-local"},
		{"172.16.0.1", "private"},
		{"172.31.255.255", "private"},
		{"192.0.0.1", "IETF protocol assignments"},
		{"192.0.0.170", "IETF protocol assignments"},
		{"192.0.2.10", "TEST-NET-1"},
		{"192.88.99.1", "6to4 relay"},
		{"192.168.1.1", "private"},
		{"198.18.0.1", "benchmarking"},
		{"198.19.255.255", "benchmarking"},
		{"198.51.100.7", "TEST-NET-2"},
		{"203.0.113.9", "TEST-NET-3"},
		{"224.0.0.1", "multicast"},
		{"239.255.255.250", "multicast"},
		{"240.0.0.1", "reserved"},
		{"255.255.255.255", "broadcast"},
		{"::", "unspecified"},
		{"::1", "loopback"},
		{"::10.0.0.1", "IPv4-compatible"},
		{"::ffff:127.0.0.1", "loopback"},
		{"::ffff:10.0.0.1", "private"},
		{"::ffff:169.254.169.254", "link-local"},
		{"::ffff:100.100.100.200", "shared address space"},
		{"64:ff9b::a9fe:a9fe", "169.254.169.254, link-local"},
		{"64:ff9b::808:808", "NAT64"},
		{"64:ff9b:1::1", "local-use NAT64"},
		{"100::1", "discard-only"},
		{"2001::1", "Teredo"},
		{"2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"},
		{"2001:2::1", "IETF protocol assignments"},
		{"2001:1ff:ffff::1", "IETF protocol assignments"},
		{"2001:db8::1", "documentation"},
		{"2002:a00:1::1", "10.0.0.1, a private network"},
		{"2002:7f00:1::1", "127.0.0.1, loopback"},
		{"2002:a9fe:a9fe::1", "169.254.169.254"},
		{"3fff::1", "documentation"},
		{"5f00::1", "segment routing"},
		{"fc00::1", "unique local"},
		{"fd12:3456::1", "unique local"},
		{"fe80::1", "link-local"},
		{"fe80::1%eth0", "link-local"},
		{"fec0::1", "site-local"},
		{"ff02::1", "multicast"},
		{"4000::1", "global unicast"},
	}
	for _, sc := range refused {
		t.Run(sc.addr, func(t *testing.T) {
			err := g.Check(netip.MustParseAddr(sc.addr))
			var r *egress.RefusedError
			if !errors.As(err, &r) || !strings.Contains(err.Error(), sc.reason) || !strings.Contains(err.Error(), "not a public address") {
				t.Errorf("Check(%s) = %v, want refused for %q", sc.addr, err, sc.reason)
			}
		})
	}
	public := []string{
		"1.1.1.1", "8.8.8.8", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0", "126.255.255.255",
		"128.0.0.0", "169.253.255.255", "172.15.255.255", "172.32.0.0", "192.0.1.255", "192.0.3.0",
		"192.88.98.255", "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0", "203.0.112.255",
		"223.255.255.255", "::ffff:8.8.8.8", "2606:4700:4700::1111", "2a00:1450:4001::200e",
		"2001:200::1", "2002:808:808::1", "2003::1",
	}
	for _, a := range public {
		t.Run(a, func(t *testing.T) {
			if err := g.Check(netip.MustParseAddr(a)); err != nil {
				t.Errorf("Check(%s) = %v, want allowed", a, err)
			}
		})
	}
}

// TestAllowList: the operator's ranges are let through, mapped forms of
// them too, and nothing else private.
func TestAllowList(t *testing.T) {
	allow, err := egress.ParseAllow("10.20.0.0/16, 192.168.7.5 fd00:1::/32")
	if err != nil {
		t.Fatal(err)
	}
	g := egress.New(allow)
	scenarios := []struct {
		addr    string
		allowed bool
	}{
		{"10.20.3.4", true}, {"::ffff:10.20.3.4", true}, {"192.168.7.5", true}, {"fd00:1::9", true},
		{"10.21.0.1", false}, {"192.168.7.6", false}, {"fd00:2::1", false}, {"127.0.0.1", false},
	}
	for _, sc := range scenarios {
		if err := g.Check(netip.MustParseAddr(sc.addr)); (err == nil) != sc.allowed {
			t.Errorf("Check(%s) = %v, want allowed %v", sc.addr, err, sc.allowed)
		}
	}
	for _, bad := range []string{"10.0.0.0/33", "example.com", "10.0.0/8"} {
		if _, err := egress.ParseAllow(bad); err == nil {
			t.Errorf("ParseAllow(%q) took it", bad)
		}
	}
}

// fakeResolver answers from a table; each answer may change between
// lookups, as a rebinding DNS server's does.
type fakeResolver struct {
	mu      sync.Mutex
	answers map[string][][]string
	asked   map[string]int
}

func (r *fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	seq, ok := r.answers[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	i := min(r.asked[host], len(seq)-1)
	r.asked[host]++
	var out []netip.Addr
	for _, a := range seq[i] {
		out = append(out, netip.MustParseAddr(a))
	}
	return out, nil
}

func newResolver(answers map[string][][]string) *fakeResolver {
	return &fakeResolver{answers: answers, asked: map[string]int{}}
}

// TestCheckURL: what a customer may save as a webhook URL.
func TestCheckURL(t *testing.T) {
	g := egress.New(nil).WithResolver(newResolver(map[string][][]string{
		"hooks.example.com":    {{"93.184.215.14"}},
		"metadata.example.com": {{"169.254.169.254"}},
		"mixed.example.com":    {{"93.184.215.14", "10.0.0.1"}},
		"v6.example.com":       {{"2606:4700::1", "fd00::1"}},
	}))
	scenarios := []struct {
		url    string
		reason string // "" when the URL is accepted
	}{
		{"https://hooks.example.com/amends", ""},
		{"http://93.184.215.14:8080/x", ""},
		{"https://[2606:4700::1]/x", ""},
		{"https://unknown.example.net/x", ""},
		{"http://169.254.169.254/latest/meta-data", "link-local"},
		{"http://10.0.0.1/", "private"},
		{"http://100.100.100.200/", "shared address space"},
		{"http://[::ffff:127.0.0.1]/", "loopback"},
		{"http://[64:ff9b::a00:1]/", "10.0.0.1"},
		{"http://[2002:c0a8:101::1]/", "192.168.1.1"},
		{"http://0.0.0.0:8080/", "this network"},
		{"http://255.255.255.255/", "broadcast"},
		{"http://198.18.0.1/", "benchmarking"},
		{"https://metadata.example.com/", "metadata.example.com resolves to 169.254.169.254"},
		{"https://mixed.example.com/", "10.0.0.1"},
		{"https://v6.example.com/", "fd00::1"},
		{"http://localhost:8080/", "local machine"},
		{"http://api.localhost/", "local machine"},
		{"http://2130706433/", "usual form"},
		{"http://0x7f.1/", "usual form"},
		{"http://127.1/", "usual form"},
		{"ftp://hooks.example.com/", "http or https"},
		{"https://user:pw@hooks.example.com/", "without credentials"},
		{"hooks.example.com/x", "http or https"},
	}
	for _, sc := range scenarios {
		t.Run(sc.url, func(t *testing.T) {
			err := g.CheckURL(t.Context(), sc.url)
			if sc.reason == "" {
				if err != nil {
					t.Errorf("refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), sc.reason) {
				t.Errorf("CheckURL = %v, want refused for %q", err, sc.reason)
			}
		})
	}
}

// TestDialRefusesRebinding: a name that resolved to a public address when
// the webhook was saved, and resolves to loopback when it is delivered,
// is refused at connect time; allowing loopback lets the same name
// through to the real server.
func TestDialRefusesRebinding(t *testing.T) {
	var hits int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits++ }))
	defer srv.Close()
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	target := "http://rebind.example.com:" + strconv.Itoa(port) + "/hook"

	res := newResolver(map[string][][]string{"rebind.example.com": {{"93.184.215.14"}, {"127.0.0.1"}}})
	g := egress.New(nil).WithResolver(res)
	if err := g.CheckURL(t.Context(), target); err != nil {
		t.Fatalf("saved URL refused: %v", err)
	}
	client := &http.Client{Transport: &http.Transport{DialContext: g.DialContext}}
	resp, err := client.Get(target)
	if err == nil {
		resp.Body.Close()
		t.Fatal("connected to a name rebound to loopback")
	}
	if !strings.Contains(err.Error(), "127.0.0.1 is not a public address: loopback") {
		t.Errorf("error %v", err)
	}
	if resp, err := client.Get(srv.URL); err == nil {
		resp.Body.Close()
		t.Fatal("connected to a loopback literal")
	}
	if hits != 0 {
		t.Fatalf("the server was reached %d times", hits)
	}

	loopback, _ := egress.ParseAllow("127.0.0.0/8")
	allowed := egress.New(loopback).WithResolver(res)
	client = &http.Client{Transport: &http.Transport{DialContext: allowed.DialContext}}
	resp, err = client.Get(target)
	if err != nil {
		t.Fatalf("allowed range refused: %v", err)
	}
	resp.Body.Close()
	if hits != 1 {
		t.Errorf("hits %d, want 1", hits)
	}
}
