package sharecheck

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Check reports every finding in the document's fields, in field order and
// then by offset.
func (k *Checker) Check(doc Document) []Finding {
	people := append(append([]string{}, doc.KnownNames...), k.TimelineNames(doc.InternalTimeline)...)
	names := nameVariants(append(people, k.internalNames(doc.InternalText)...))
	var out []Finding
	for _, f := range doc.Fields {
		for _, s := range k.scan(f.Text, names) {
			out = append(out, newFinding(f, s))
		}
	}
	return out
}

// scan runs every detector over one text and keeps one span per stretch of
// text.
func (k *Checker) scan(text string, names []nameVariant) []span {
	var c []span
	c = append(c, findEmails(text)...)
	c = append(c, findIPs(text)...)
	c = append(c, k.findHosts(text)...)
	c = append(c, k.findReferences(text)...)
	c = append(c, findCapacities(text)...)
	c = append(c, k.findVendors(text)...)
	c = append(c, findNames(text, names)...)
	c = append(c, findAppositiveNames(text)...)
	c = append(c, k.findUnknownNames(text)...)
	c = append(c, k.findCreditedNames(text)...)
	c = append(c, findHandles(text)...)
	return resolve(k.dropAllowed(text, c))
}

// dropAllowed removes spans that lie inside an allowed phrase, so a product
// called "Atlas Cloud" silences a vendor or name match on its words, while a
// host such as "atlas-prod-03" that merely contains it is still reported.
func (k *Checker) dropAllowed(text string, spans []span) []span {
	allowed := k.allow.find(text)
	if len(allowed) == 0 {
		return spans
	}
	kept := spans[:0]
	for _, s := range spans {
		inside := false
		for _, a := range allowed {
			if a[0] <= s.start && s.end <= a[1] {
				inside = true
				break
			}
		}
		if !inside {
			kept = append(kept, s)
		}
	}
	return kept
}

// resolve keeps one span per overlapping group: longest first, then the
// more specific kind. The result is ordered by offset.
func resolve(spans []span) []span {
	sort.SliceStable(spans, func(i, j int) bool {
		a, b := spans[i], spans[j]
		if la, lb := a.end-a.start, b.end-b.start; la != lb {
			return la > lb
		}
		if rank[a.kind] != rank[b.kind] {
			return rank[a.kind] < rank[b.kind]
		}
		return a.start < b.start
	})
	var kept []span
	for _, s := range spans {
		if s.end <= s.start {
			continue
		}
		overlaps := false
		for _, o := range kept {
			if s.start < o.end && o.start < s.end {
				overlaps = true
				break
			}
		}
		if !overlaps {
			kept = append(kept, s)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].start < kept[j].start })
	return kept
}

// wordBounded reports whether text[start:end] is not glued to a letter or
// digit on either side.
func wordBounded(text string, start, end int) bool {
	if r, _ := utf8.DecodeLastRuneInString(text[:start]); start > 0 && isWordRune(r) {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(text[end:]); end < len(text) && isWordRune(r) {
		return false
	}
	return true
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_'
}

// before and after return the byte next to a span, or 0 at the edges.
func before(text string, i int) byte {
	if i <= 0 {
		return 0
	}
	return text[i-1]
}

func after(text string, i int) byte {
	if i >= len(text) {
		return 0
	}
	return text[i]
}

func isAlnum(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// findVendors reports third parties presented as the cause or at fault;
// the author's own organisation is never one.
func (k *Checker) findVendors(text string) []span {
	var out []span
	own := k.ownPhrases.find(text)
	mentions := append(k.vendors.find(text), k.namedProviders(text)...)
	sort.Slice(mentions, func(i, j int) bool { return mentions[i][0] < mentions[j][0] })
	for _, m := range mentions {
		if overlapsAny(m, own) || inAddress(text, m[0], m[1]) || !blamed(text, m[0], m[1]) {
			continue
		}
		// "AWS S3" or "Amazon EBS" is one party: one finding.
		if n := len(out); n > 0 && strings.TrimSpace(text[min(out[n-1].end, m[0]):m[0]]) == "" {
			out[n-1].end = max(out[n-1].end, m[1])
			continue
		}
		out = append(out, span{m[0], m[1], KindVendor, "a third-party provider"})
	}
	return out
}

// inAddress reports whether a match is part of a domain, a link or a
// path ("status.heroku.com/incidents/151"), which names no one.
func inAddress(text string, start, end int) bool {
	if b := before(text, start); b == '.' || b == '/' || b == '@' {
		return true
	}
	b := after(text, end)
	return b == '/' || b == '.' && isAlnum(after(text, end+1))
}

func overlapsAny(r [2]int, ranges [][2]int) bool {
	for _, o := range ranges {
		if r[0] < o[1] && o[0] < r[1] {
			return true
		}
	}
	return false
}
