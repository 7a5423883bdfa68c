package sharecheck

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ambiguousNames are first names and surnames that are also ordinary
// English words; alone they would flag "Will this recur?", so alone they
// need a past tense after them (see nameVariant). Names that are also
// incident vocabulary ("Page", "Jenkins") are in notNames and only ever
// match as part of a full name.
var ambiguousNames = setOf("will", "may", "june", "april", "august", "mark", "grant",
	"long", "hope", "bill", "rose", "summer", "rich", "bishop", "cook", "major", "king", "young",
	"white", "brown", "green", "black", "gray", "grey", "hill", "wood", "stone", "field", "ward",
	"hall", "price", "lane", "chase", "frank", "faith", "joy", "dean", "guy", "case", "sterling",
	"gene", "art", "ray", "sky", "star", "hunter", "mason", "baker", "carter", "porter", "parker",
	"turner", "miller", "walker", "sharp", "best", "bell", "wells", "banks", "rivers", "marsh",
	"ford", "jack", "pat", "sue", "don", "penny", "crystal", "amber", "ruby", "pearl", "ivy",
	"holly", "daisy", "iris", "lily", "dawn", "eve", "autumn", "winter", "heath", "cliff", "dale",
	"glen", "miles", "nick", "rob", "norm", "van", "der", "von", "del", "della", "florence",
	"victoria", "sydney", "paris", "virginia")

// nameVariant is a string to look for. An ambiguous first name or surname
// on its own counts only when a past-tense verb follows it: "Mark noticed
// the error" is a person, "Mark the item done" is not.
type nameVariant struct {
	text      string
	needsVerb bool
}

// nameVariants turns full names and email addresses into the strings to
// look for: the full name, and each part that is distinctive on its own.
// Longer variants come first so "Dana Whitfield" is reported as one match.
func nameVariants(people []string) []nameVariant {
	seen := map[string]bool{}
	var out []nameVariant
	add := func(s string, needsVerb bool) {
		if !seen[s] {
			seen[s] = true
			out = append(out, nameVariant{s, needsVerb})
		}
	}
	for _, p := range people {
		p = strings.TrimSpace(p)
		if at := strings.IndexByte(p, '@'); at > 0 {
			local := p[:at]
			if distinctive(local) {
				add(local, false) // the user name, as in "scheduled by tom.okafor"
			}
			p = nameFromEmail(local)
		}
		parts := strings.Fields(p)
		if len(parts) > 1 {
			add(strings.Join(parts, " "), false)
		}
		for _, part := range parts {
			switch {
			case distinctive(part):
				add(part, false)
			case ambiguousNames[strings.ToLower(part)]:
				add(part, true)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].text) > len(out[j].text) })
	return out
}

// nameFromEmail reads "dana.whitfield" as "Dana Whitfield"; parts with
// digits ("ops2") say nothing about a person.
func nameFromEmail(local string) string {
	var parts []string
	for _, p := range strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '_' || r == '-' || r == '+' }) {
		if strings.IndexFunc(p, func(r rune) bool { return !unicode.IsLetter(r) }) < 0 {
			r, size := utf8.DecodeRuneInString(p)
			parts = append(parts, string(unicode.ToUpper(r))+p[size:])
		}
	}
	return strings.Join(parts, " ")
}

// distinctive reports whether one part of a name may be matched alone: at
// least three letters, not an initial, not an ordinary word.
func distinctive(part string) bool {
	lower := strings.ToLower(strings.TrimPrefix(part, "@"))
	if utf8.RuneCountInString(lower) < 3 || strings.HasSuffix(part, ".") {
		return false
	}
	return !ambiguousNames[lower] && !notNames[lower]
}

// findNames matches each variant case-sensitively on word boundaries.
func findNames(text string, names []nameVariant) []span {
	var out []span
	for _, n := range names {
		for from := 0; ; {
			i := strings.Index(text[from:], n.text)
			if i < 0 {
				break
			}
			start, end := from+i, from+i+len(n.text)
			if wordBounded(text, start, end) && (!n.needsVerb || pastVerb(firstWord(text[end:]))) {
				out = append(out, span{start, end, KindPersonName, roleSuggestion(text, start, end)})
			}
			from = end
		}
	}
	return out
}

var irregularPast = setOf("was", "had", "did", "ran", "began", "saw", "took", "wrote", "made",
	"found", "sent", "led", "shut", "put", "set", "got", "gave", "told", "became", "brought",
	"kept", "left", "held", "spun", "went", "said", "knew", "thought")

func pastVerb(w string) bool {
	return irregularPast[w] || len(w) >= 4 && strings.HasSuffix(w, "ed")
}

// appositiveRe finds a name set off after a role, "our on-call engineer,
// Ana, noticed", which names a person amends may not know about.
var appositiveRe = regexp.MustCompile(`\b(?:engineer|SRE|developer|manager|lead|commander|colleague|teammate|administrator|operator|analyst|on-call|responder|specialist)\s*,\s+(` + namePhrase + `)\s*,`)

func findAppositiveNames(text string) []span {
	var out []span
	for _, m := range appositiveRe.FindAllStringSubmatchIndex(text, -1) {
		if personWords(text[m[2]:m[3]]) {
			out = append(out, span{m[2], m[3], KindPersonName, roleSuggestion(text, m[2], m[3])})
		}
	}
	return out
}

// personWords reports whether a capitalised phrase can be a name: none of
// its words is incident vocabulary, and a lone word is distinctive.
func personWords(phrase string) bool {
	words := strings.Fields(phrase)
	for _, w := range words {
		if notNames[strings.ToLower(w)] {
			return false
		}
	}
	return len(words) > 1 || distinctive(words[0])
}

// roleSuggestion names the role instead of the person; near a page or an
// on-call mention that role is the on-call engineer.
func roleSuggestion(text string, start, end int) string {
	near := strings.ToLower(text[max(0, start-60):min(len(text), end+60)])
	for _, w := range []string{"on-call", "oncall", "on call", "paged", "paging", "pager"} {
		if strings.Contains(near, w) {
			return "the on-call engineer"
		}
	}
	return "an engineer"
}
