package sharecheck

import (
	"net/netip"
	"regexp"
	"strings"
)

var (
	emailRe = regexp.MustCompile(`(?i)[a-z0-9][a-z0-9._%+-]*@` + hostLabels + `\.[a-z]{2,}\b`)

	// Candidates only: netip decides what is really an address, which keeps
	// times (14:05:00), versions (1.2.3) and MAC addresses out.
	ipv4Re = regexp.MustCompile(`\b\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?`)
	ipv6Re = regexp.MustCompile(`(?i)[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:/\d{1,3})?`)

	// versionWord precedes dotted numbers that are versions, not addresses
	// ("v1.2.3.4" never matches ipv4Re, which starts on a word boundary).
	versionWord = regexp.MustCompile(`(?i)\b(?:version|release|build)\s$`)
)

func findEmails(text string) []span {
	var out []span
	for _, m := range emailRe.FindAllStringIndex(text, -1) {
		out = append(out, span{m[0], m[1], KindEmail, "our support team"})
	}
	return out
}

func findIPs(text string) []span {
	var out []span
	for _, m := range ipv4Re.FindAllStringIndex(text, -1) {
		if ipv4Bounded(text, m[0], m[1]) && validIP(text[m[0]:m[1]]) {
			out = append(out, span{m[0], m[1], KindIPAddress, "an internal address"})
		}
	}
	for _, m := range ipv6Re.FindAllStringIndex(text, -1) {
		s := text[m[0]:m[1]]
		if ipv6Bounded(text, m[0], m[1]) && strings.ContainsAny(s, "0123456789abcdefABCDEF") && validIP(s) {
			out = append(out, span{m[0], m[1], KindIPAddress, "an internal address"})
		}
	}
	return out
}

// ipv4Bounded rejects dotted numbers that are part of something longer
// (an OID, 1.2.3.4.5) or are labelled as a version.
func ipv4Bounded(text string, start, end int) bool {
	if b := before(text, start); b == '.' || b == '-' {
		return false
	}
	if b := after(text, end); isAlnum(b) || (b == '.' && isAlnum(after(text, end+1))) {
		return false
	}
	return !versionWord.MatchString(text[max(0, start-9):start])
}

// ipv6Bounded rejects candidates glued to a word ("std::map") or to more
// colons and dots.
func ipv6Bounded(text string, start, end int) bool {
	if b := before(text, start); isAlnum(b) || b == ':' || b == '.' {
		return false
	}
	b := after(text, end)
	return !isAlnum(b) && b != ':' && !(b == '.' && isAlnum(after(text, end+1)))
}

func validIP(s string) bool {
	if strings.Contains(s, "/") {
		_, err := netip.ParsePrefix(s)
		return err == nil
	}
	_, err := netip.ParseAddr(s)
	return err == nil
}
