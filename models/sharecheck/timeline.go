package sharecheck

import (
	"regexp"
	"strings"
	"unicode"
)

// nameTok is one capitalised name, with leading initials ("J. Alvarez") and
// the usual prefixes and hyphens ("McKenna", "O'Neil", "Jean-Luc").
const nameTok = `(?:\p{Lu}\.\s?)*(?:Mc|Mac|O['’])?\p{Lu}\p{Ll}+(?:-\p{Lu}?\p{Ll}+)*`

const namePhrase = nameTok + `(?:\s+` + nameTok + `){0,2}`

var (
	// stampRe is the time that opens a timeline line or table row: "14:02",
	// "- 14:05 —", "**2026-03-03 14:02 UTC**:", "[14:02]", "| 14:02 |".
	stampRe = regexp.MustCompile(`^\s*(?:[-*+|]\s*|\d+[.)]\s+)?\[?(?:\d{4}-\d{2}-\d{2}[ T])?\d{1,2}:\d{2}(?::\d{2})?(?:\s?(?:UTC|Z|[AaPp]\.?[Mm]\.?))?\]?\s*[-–—:|,]*\s*`)
	leadRe  = regexp.MustCompile(`^` + namePhrase)
	joinRe  = regexp.MustCompile(`^\s*(?:,|&|and\s)\s*`)
	verbRe  = regexp.MustCompile(`^\s*[:,]?\s+(\p{Ll}+)`)
	byRe    = regexp.MustCompile(`\b(?:by|cc|with|and|to|from|pinged|paged|asked|thanks)\s+(` + namePhrase + `)`)
	parenRe = regexp.MustCompile(`\((` + namePhrase + `(?:\s*(?:,|&|/|and)\s*` + namePhrase + `)*)\)`)
	// roleRe is a roster line: "IC: Priya Raman", "- **Scribe:** Tom".
	roleRe   = regexp.MustCompile(`(?i)^\s*(?:[-*+]\s+)?(?:ic|incident commander|commander|comms(?: lead)?|communications lead|scribe|owner|on-?call|primary|secondary|responders?|assignee|lead|reporter|sme)\s*[:=]\s*(.+)$`)
	handleRe = regexp.MustCompile(`(?:^|[^\w@.])(@[A-Za-z][\w.-]*[A-Za-z0-9])`)
	listSep  = regexp.MustCompile(`\s*(?:,|&|/|\band\b)\s*`)
	wholeRe  = regexp.MustCompile(`^` + namePhrase + `$`)
	// markup is Markdown emphasis, which wraps times and names alike.
	markup = strings.NewReplacer("**", "", "__", "", "`", "")
)

// edNames are names that end like a past tense; any other capitalised word
// ending in -ed opens a line as a verb ("Decided to fail over").
var edNames = setOf("mohammed", "mohamed", "muhammed", "ahmed", "fred", "ted", "ned", "jared",
	"reed", "saeed", "javed", "khaled", "alfred", "wilfred", "manfred", "winifred")

// verbs that follow a responder's name and do not end in -ed, -ing or -ly.
// Present-tense verbs are listed rather than guessed from a final -s,
// which would read "Scale workers" as a person doing something.
var irregularVerbs = setOf("is", "was", "has", "had", "did", "ran", "began", "saw", "took",
	"wrote", "made", "found", "sent", "led", "shut", "put", "set", "got", "gave", "told",
	"became", "brought", "kept", "left", "held", "spun", "can", "will", "would", "could",
	"then", "also", "now", "still", "again", "pages", "joins", "confirms", "starts",
	"declares", "acks", "acknowledges", "notices", "restarts", "rolls", "reverts", "deploys",
	"escalates", "opens", "takes", "begins", "sees", "says", "asks", "notes", "finds",
	"decides", "triggers", "hands", "leads", "fails", "drains", "disables", "enables")

// teamHandles mark @mentions of groups rather than people.
var teamHandles = setOf("team", "oncall", "on-call", "sre", "ops", "eng", "here", "channel",
	"everyone", "all", "bot", "group", "squad", "support", "infra", "platform", "security")

// TimelineNames returns the people an internal timeline names: responders
// at the start of a timed line followed by a verb ("14:02 Priya paged"),
// names after "by"/"cc"/"with" or in parentheses on timed lines, roster
// lines ("IC: Priya Raman") and @handles. Capitalised words that appear in
// lower case elsewhere in the timeline, vendors, allowed words and common
// incident vocabulary are not taken for names.
func (k *Checker) TimelineNames(md string) []string {
	lower := lowercaseWords(md)
	var out []string
	seen := map[string]bool{}
	add := func(name string) {
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	accept := func(phrase string) {
		if k.personLike(phrase, lower) {
			add(strings.Join(strings.Fields(phrase), " "))
		}
	}
	for _, line := range strings.Split(md, "\n") {
		line = markup.Replace(line)
		if m := roleRe.FindStringSubmatch(line); m != nil {
			for _, p := range listSep.Split(strings.TrimSpace(m[1]), -1) {
				if wholeRe.MatchString(p) {
					accept(p)
				}
			}
		}
		if stamp := stampRe.FindString(line); stamp != "" {
			for _, p := range timedNames(line[len(stamp):]) {
				accept(p)
			}
		}
		for _, m := range handleRe.FindAllStringSubmatch(line, -1) {
			if !teamHandle(m[1]) {
				add(m[1])
			}
		}
	}
	return out
}

// timedNames returns the candidate names on a line after its time: the
// subjects, names after "by" and the like, and names in parentheses.
func timedNames(rest string) []string {
	names := leadingNames(rest)
	for _, m := range byRe.FindAllStringSubmatch(rest, -1) {
		names = append(names, m[1])
	}
	for _, m := range parenRe.FindAllStringSubmatch(rest, -1) {
		names = append(names, listSep.Split(m[1], -1)...)
	}
	return names
}

// leadingNames reads "Priya and J. Alvarez rolled back" as two responders;
// without a verb after them the capitalised words are not taken as names.
func leadingNames(s string) []string {
	var names []string
	for {
		p := leadRe.FindString(s)
		if p == "" {
			return nil
		}
		names = append(names, p)
		s = s[len(p):]
		j := joinRe.FindString(s)
		if j == "" {
			break
		}
		s = s[len(j):]
	}
	if m := verbRe.FindStringSubmatch(s); m != nil && isVerb(m[1]) {
		return names
	}
	return nil
}

func isVerb(w string) bool {
	n := len(w)
	return irregularVerbs[w] || n >= 4 && (strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ly")) ||
		n >= 5 && strings.HasSuffix(w, "ing")
}

// personLike filters a candidate phrase: on top of personWords, no word
// may be a vendor or allowed word, appear in lower case elsewhere in the
// timeline, or read like a noun or a past tense.
func (k *Checker) personLike(phrase string, lower map[string]bool) bool {
	for _, w := range strings.Fields(phrase) {
		w = strings.ToLower(w)
		if k.notNames[w] || lower[w] || nounLike(w) || strings.HasSuffix(w, "ed") && !edNames[w] {
			return false
		}
	}
	return personWords(phrase)
}

func nounLike(w string) bool {
	for _, s := range []string{"tion", "sion", "ment", "ness", "ity", "ing", "ics", "ogy"} {
		if strings.HasSuffix(w, s) {
			return true
		}
	}
	return false
}

// lowercaseWords collects the words written in lower case in ordinary
// prose; addresses, links and handles are skipped because "priya@" or
// "@priya" say nothing about whether "Priya" is a name.
func lowercaseWords(md string) map[string]bool {
	set := map[string]bool{}
	for _, chunk := range strings.Fields(md) {
		if strings.ContainsAny(chunk, "@/:") {
			continue
		}
		for _, w := range strings.FieldsFunc(chunk, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if r := []rune(w)[0]; unicode.IsLower(r) {
				set[w] = true
			}
		}
	}
	return set
}

// teamHandle reports whether an @handle names a group ("@sre-oncall")
// rather than a person; a given name in it ("@sarah-ops") makes it a
// person's.
func teamHandle(h string) bool {
	team := false
	for _, part := range strings.FieldsFunc(strings.ToLower(h[1:]), func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
		if firstNames[part] && !ambiguousFirst[part] && len(part) > 3 {
			return false
		}
		team = team || teamHandles[part]
	}
	return team
}
