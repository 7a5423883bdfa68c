// Package egress decides which addresses amends may connect out to on a
// customer's behalf (outgoing webhooks): only globally routable ones, per
// the IANA IPv4 and IPv6 special-purpose address registries, unless the
// operator allows a private range. It is checked when a URL is saved and
// again on every connection, after DNS resolution, so that a name that
// later resolves elsewhere (DNS rebinding) is refused too.
package egress

import "net/netip"

// special is a block that is not globally routable, with why.
type special struct {
	prefix netip.Prefix
	reason string
}

func block(cidr, reason string) special {
	return special{netip.MustParsePrefix(cidr), reason}
}

// specialV4 are the IPv4 blocks refused (IANA IPv4 special-purpose
// registry, plus multicast and the reserved class E). The few blocks the
// registry marks globally reachable (AS112, AMT) are left out.
var specialV4 = [...]special{
	block("0.0.0.0/8", `"this network"`),
	block("10.0.0.0/8", "a private network"),
	block("100.64.0.0/10", "shared address space (carrier-grade NAT, cloud metadata)"),
	block("127.0.0.0/8", "loopback"),
	block("169.254.0.0/16", "link-local (cloud metadata)"),
	block("172.16.0.0/12", "a private network"),
	block("192.0.0.0/24", "IETF protocol assignments"),
	block("192.0.2.0/24", "documentation (TEST-NET-1)"),
	block("192.88.99.0/24", "6to4 relay anycast"),
	block("192.168.0.0/16", "a private network"),
	block("198.18.0.0/15", "benchmarking"),
	block("198.51.100.0/24", "documentation (TEST-NET-2)"),
	block("203.0.113.0/24", "documentation (TEST-NET-3)"),
	block("224.0.0.0/4", "multicast"),
	block("255.255.255.255/32", "broadcast"),
	block("240.0.0.0/4", "reserved"),
}

// specialV6 are the IPv6 blocks refused (IANA IPv6 special-purpose
// registry and the address architecture). Anything outside 2000::/3, the
// global unicast space, is refused as well. IPv4-mapped addresses and 6to4
// are judged by the IPv4 address they carry (see Guard.Check).
var specialV6 = [...]special{
	block("::/128", "unspecified"),
	block("::1/128", "loopback"),
	block("::/96", "IPv4-compatible (deprecated)"),
	block("64:ff9b::/96", "NAT64"),
	block("64:ff9b:1::/48", "local-use NAT64"),
	block("100::/64", "discard-only"),
	block("2001::/32", "Teredo"),
	block("2001:db8::/32", "documentation"),
	block("2001::/23", "IETF protocol assignments"),
	block("3fff::/20", "documentation"),
	block("5f00::/16", "segment routing (SRv6) SIDs"),
	block("fc00::/7", "unique local (private)"),
	block("fe80::/10", "link-local"),
	block("fec0::/10", "site-local (deprecated)"),
	block("ff00::/8", "multicast"),
}

var (
	globalUnicastV6 = netip.MustParsePrefix("2000::/3")
	sixToFour       = netip.MustParsePrefix("2002::/16")
	nat64           = netip.MustParsePrefix("64:ff9b::/96")
)

// embeddedV4 is the IPv4 address a 6to4 (2002:AABB:CCDD::/48) or a NAT64
// (64:ff9b::AABB:CCDD) address carries, if it is one.
func embeddedV4(a netip.Addr) (netip.Addr, bool) {
	b := a.As16()
	switch {
	case sixToFour.Contains(a):
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}), true
	case nat64.Contains(a):
		return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}), true
	}
	return netip.Addr{}, false
}
