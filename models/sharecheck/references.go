package sharecheck

import (
	"net/netip"
	"regexp"
	"strings"
)

var (
	urlRe = regexp.MustCompile(`(?i)\bhttps?://[^\s<>"'()\[\]{}]+`)
	// ticketKeyRe is a tracker key such as OPS-123 or JIRA-1234. Two digits
	// at least, because "SEV-1" and "P-1" are severities.
	ticketKeyRe = regexp.MustCompile(`\b([A-Z][A-Z0-9]{1,9})-\d{2,}\b`)
	// numberedRe is a tracker item by number: "ticket #4512", "PR #88".
	numberedRe  = regexp.MustCompile(`(?i)\b(?:ticket|issue|incident|bug|case|task|change request|cr|pr|mr|pull request|merge request)\s?#\s?\d+\b`)
	shortLinkRe = regexp.MustCompile(`\bgo/[A-Za-z0-9][\w./#-]*|\bb/\d{5,}\b`)
	// channelRe is a chat channel such as "#inc-storage"; a hyphen or an
	// underscore is required so Markdown headings and hashtags stay quiet.
	channelRe = regexp.MustCompile(`(?:^|[\s(])(#[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+)`)
)

// notTickets are standards and identifiers shaped like tracker keys.
var notTickets = setOf("CVE", "CWE", "SHA", "AES", "UTF", "UCS", "ISO", "IEC", "RFC", "COVID",
	"HTTP", "HTTPS", "TLS", "SSL", "IEEE", "ECMA", "SEV", "MD", "RSA", "DSA", "ECDSA", "ED",
	"CRC", "PCI", "SOC", "NIST", "FIPS", "GPT", "DDR", "PCIE", "USB", "WPA", "TCP", "UDP",
	"ANSI", "UTC", "GMT", "EU", "US", "UK", "IPV", "CAT", "PM", "AM", "ERR", "ERROR", "CODE")

// internalTools are first DNS labels of tools that live behind the VPN.
var internalTools = setOf("jira", "confluence", "wiki", "intranet", "grafana", "kibana",
	"jenkins", "sentry", "runbook", "runbooks", "internal", "admin", "backstage", "argocd",
	"alertmanager", "prometheus", "phabricator")

// privateDocHosts are document and chat services whose links only staff
// can open.
var privateDocHosts = []string{"docs.google.com", "drive.google.com", ".atlassian.net",
	".slack.com", ".sharepoint.com", "notion.so", ".notion.site", "quip.com", "paper.dropbox.com"}

func (k *Checker) findReferences(text string) []span {
	var out []span
	add := func(start, end int) { out = append(out, span{start, end, KindInternalReference, ""}) }
	for _, m := range urlRe.FindAllStringIndex(text, -1) {
		end := m[0] + len(strings.TrimRight(text[m[0]:m[1]], ".,;:!?"))
		if k.internalURL(text[m[0]:end]) {
			add(m[0], end)
		}
	}
	for _, m := range ticketKeyRe.FindAllStringSubmatchIndex(text, -1) {
		if !notTickets[text[m[2]:m[3]]] && before(text, m[0]) != '/' {
			add(m[0], m[1])
		}
	}
	if k.tickets != nil {
		for _, m := range k.tickets.FindAllStringIndex(text, -1) {
			add(m[0], m[1])
		}
	}
	for _, m := range numberedRe.FindAllStringIndex(text, -1) {
		add(m[0], m[1])
	}
	for _, m := range shortLinkRe.FindAllStringIndex(text, -1) {
		link := strings.TrimRight(text[m[0]:m[1]], ".,;:!?")
		if b := before(text, m[0]); b != '/' && b != '.' && b != '-' && !strings.HasPrefix(link, "go/no-go") {
			add(m[0], m[0]+len(link))
		}
	}
	for _, m := range channelRe.FindAllStringSubmatchIndex(text, -1) {
		add(m[2], m[3])
	}
	return out
}

// internalURL reports whether a link points somewhere only staff can open:
// a bare or internal host name, an address, an internal tool or a private
// document service.
func (k *Checker) internalURL(u string) bool {
	host := u[strings.Index(u, "://")+3:]
	if i := strings.IndexAny(host, "/?#"); i >= 0 {
		host = host[:i]
	}
	if i := strings.LastIndexByte(host, '@'); i >= 0 {
		host = host[i+1:]
	}
	if strings.HasPrefix(host, "[") {
		return true // an IPv6 literal
	}
	host, _, _ = strings.Cut(strings.ToLower(host), ":")
	if _, err := netip.ParseAddr(host); err == nil {
		return true
	}
	if !strings.Contains(host, ".") {
		return true
	}
	for _, s := range k.suffixes {
		if strings.HasSuffix(host, s) {
			return true
		}
	}
	first, _, _ := strings.Cut(host, ".")
	if internalTools[first] {
		return true
	}
	for _, h := range privateDocHosts {
		if host == strings.TrimPrefix(h, ".") || strings.HasSuffix(host, h) {
			return true
		}
	}
	return false
}
