package sharecheck

import (
	_ "embed"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The embedded word lists, read once into lower-case sets. They are never
// written after start-up.
var (
	//go:embed firstnames.txt
	firstNamesTxt string
	//go:embed surnames.txt
	surnamesTxt string
	//go:embed commonwords.txt
	commonWordsTxt string

	firstNames  = wordList(firstNamesTxt)
	surnames    = wordList(surnamesTxt)
	commonWords = wordList(commonWordsTxt)
)

// wordList reads white-space separated words, skipping "#" comment lines.
func wordList(txt string) map[string]bool {
	set := map[string]bool{}
	for _, line := range strings.Split(txt, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for _, w := range strings.Fields(line) {
			set[strings.ToLower(w)] = true
		}
	}
	return set
}

// ambiguousFirst are given names that are also words, places or products
// ("Will", "Sydney", "Hugo", "Ping"): they name a person only before a
// surname from the list or of a surname's shape, never alone.
var ambiguousFirst = setOf("can", "ping", "per", "tor", "thor", "floor", "long", "harsh", "roman",
	"mats", "jan", "thu", "hong", "uri", "maya", "hugo", "julia", "bruno", "jasper", "sang",
	"hung", "gang", "min", "jun", "mai", "tal", "gal", "hai", "nam", "lan", "na", "li", "yi", "yu",
	"bo", "austin", "madison", "jordan", "charlotte", "florence", "sofia", "milan", "santiago",
	"sydney", "victoria", "georgia", "chelsea", "dallas", "houston", "phoenix", "lincoln",
	"jackson", "regina", "adelaide", "aurora", "paris", "nelson", "chad", "luigi", "destiny",
	"max", "sage", "ash", "kit", "sol", "justice", "felix", "logan", "dean", "frank", "miles",
	"drew", "wade", "reed", "crystal", "angel", "noor", "ma", "do", "le", "ho", "an", "jin",
	"eli", "ade", "mina", "sina", "joy", "hope", "grace", "karma", "rain", "river", "storm",
	"sky", "sunny", "star", "royal", "duke", "earl", "prince", "colt", "stone", "ivy", "eve",
	"juan", "lucky", "tobi", "ama", "awa", "esi", "nana", "juma", "hana", "kai", "koa", "mercy",
	"faith", "august", "june", "april", "may", "will", "mark", "grant", "bill", "rich", "page",
	"jack", "nick", "rob", "pat", "lance", "sandy", "precious", "blessing", "prosper", "travis",
	"chase", "gene", "ray", "art", "guy", "don", "rusty", "cliff", "dale", "glen", "penny",
	"odd", "saga", "till", "siri", "alexa", "hazel", "violet", "eden", "rune", "ida", "griffin",
	"marshall", "warren", "stein", "liv", "dag", "pepe", "bas", "clara", "iman", "issa")

// usualGiven are ambiguous given names that, away from the start of a
// sentence and before a capitalised word, are mostly names.
var usualGiven = setOf("will", "mark", "grant", "bill", "nick", "rob", "jack", "pat", "frank",
	"dean", "drew", "wade", "reed", "miles", "max", "chase", "lance", "ray", "guy", "don", "gene",
	"rich", "rusty", "cliff", "dale", "glen", "penny", "sandy", "travis", "logan", "felix", "hugo",
	"bruno", "jasper", "julia", "maya", "roman", "juan", "kai", "jan", "can", "eli", "noor",
	"mina", "hana", "tobi")

// strictGiven are months and places that are also given names.
var strictGiven = setOf("may", "june", "april", "august", "march", "january", "july", "sydney",
	"victoria", "jordan", "austin", "dallas", "houston", "phoenix", "lincoln", "jackson", "regina",
	"adelaide", "aurora", "paris", "nelson", "florence", "charlotte", "madison", "georgia",
	"chelsea", "milan", "santiago", "sofia", "virginia", "chad", "hong", "long")

// ambiguous reports whether a given name needs a surname to count.
func ambiguous(lw string) bool {
	return ambiguousFirst[lw] || ambiguousNames[lw]
}

// nameWordRe finds words as names are written: letters with apostrophes
// and hyphens inside ("O'Neil", "Jean-Pierre", "Rafael's").
var nameWordRe = regexp.MustCompile(`\p{L}[\p{L}\p{M}'’]*(?:-\p{L}[\p{L}\p{M}'’]*)*`)

// surnameRe is a capitalised word of a surname's shape: "Okafor",
// "McKenna", "O'Neil", "García-López", "DeLuca".
var surnameRe = regexp.MustCompile(`^(?:Mc|Mac|O['’]|D['’]|De|Di|Da|La|Le|Van)?\p{Lu}[\p{Ll}\p{M}]+(?:-\p{Lu}[\p{Ll}\p{M}]+)?$`)

// surnameEndings mark a word as a surname even when it is not listed.
var surnameEndings = []string{"son", "sen", "sson", "ez", "ski", "ska", "wicz", "ova", "ov", "ev",
	"enko", "berg", "stein", "mann", "ian", "yan", "poulos", "akis", "escu", "vić", "vic", "ić",
	"oglu", "oğlu", "zadeh", "ani", "ini", "elli", "etti", "awa", "moto", "yama", "uchi", "shita"}

// particles join the parts of a surname: "van der Berg", "El Idrissi".
var particles = setOf("van", "von", "de", "der", "den", "da", "di", "du", "del", "della", "dos",
	"das", "la", "le", "el", "al", "bin", "ibn", "ter", "ten", "zu", "y")

type word struct {
	start, end int
	text       string
}

func nameWords(text string) []word {
	idx := nameWordRe.FindAllStringIndex(text, -1)
	out := make([]word, len(idx))
	for i, m := range idx {
		out[i] = word{m[0], m[1], text[m[0]:m[1]]}
	}
	return out
}

// bare strips a possessive: "Rafael's" is "Rafael".
func bare(w string) string {
	for _, s := range []string{"'s", "’s"} {
		if strings.HasSuffix(w, s) {
			return w[:len(w)-len(s)]
		}
	}
	return w
}

// capitalised is an initial capital followed by lower case, so that
// acronyms ("CI", "SQL") and shouting are not names.
func capitalised(w string) bool {
	r, n := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) || n == len(w) {
		return false
	}
	r2, _ := utf8.DecodeRuneInString(w[n:])
	return unicode.IsLower(r2)
}

// givenName reports whether w opens a person's name: a listed given name
// (or the first part of a hyphenated one) that is not incident vocabulary.
func (k *Checker) givenName(w string) bool {
	if !capitalised(w) {
		return false
	}
	lw := strings.ToLower(w)
	head, _, _ := strings.Cut(lw, "-")
	listed := firstNames[head] || ambiguousFirst[head] && len(head) > 2
	return listed && !notNames[lw] && !k.notNames[lw] && !k.own[lw]
}

// surnameLike is a capitalised word that can end a name.
func (k *Checker) surnameLike(w string) bool {
	lw := strings.ToLower(w)
	if !surnameRe.MatchString(w) || notNames[lw] || k.notNames[lw] || k.own[lw] || strictGiven[lw] && !surnames[lw] {
		return false
	}
	return surnames[lw] || !commonWords[lw] && !nounLike(lw)
}

// strongSurname is a surname the lists or its ending vouch for, which an
// ambiguous given name needs after it.
func strongSurname(w string) bool {
	lw := strings.ToLower(w)
	if surnames[lw] {
		return true
	}
	if commonWords[lw] || utf8.RuneCountInString(lw) < 5 {
		return false
	}
	for _, e := range surnameEndings {
		if strings.HasSuffix(lw, e) {
			return true
		}
	}
	return false
}

// sentenceStart reports whether only white space, list markers or
// sentence punctuation come before offset i on its sentence.
func sentenceStart(text string, i int) bool {
	for i > 0 {
		r, n := utf8.DecodeLastRuneInString(text[:i])
		switch {
		case r == ' ' || r == '\t' || r == '*' || r == '-' || r == '>' || r == '#' || r == '"' || r == '(' || r == '“':
			i -= n
		case r == '.' || r == '!' || r == '?' || r == ':' || r == '\n':
			return true
		default:
			return false
		}
	}
	return true
}

// spaceBetween reports whether only spaces separate two words of a name.
func spaceBetween(text string, a, b word) bool {
	gap := text[a.end:b.start]
	return gap != "" && strings.Trim(gap, " \u00a0") == "" && !strings.ContainsAny(a.text, "'’")
}

// findUnknownNames finds people nobody told the checker about: a listed
// given name followed by a surname, or a given name alone where the
// sentence shows a person ("Yusuf noticed", "reported by Siobhan",
// "Aisha's change").
func (k *Checker) findUnknownNames(text string) []span {
	ws := nameWords(text)
	var out []span
	for i := 0; i < len(ws); i++ {
		w := ws[i]
		if strings.ContainsAny(w.text, "'’") && bare(w.text) == w.text {
			continue // "O'Neil" and the like open no given name
		}
		given := bare(w.text)
		if !k.givenName(given) {
			if end, ok := k.unlistedGiven(text, ws, i); ok {
				out = append(out, span{w.start, end, KindPersonName, roleSuggestion(text, w.start, end)})
				i++
			}
			continue
		}
		if end, last := k.surnameRun(text, ws, i); last > i {
			if !placeAfter(text, ws, last) {
				out = append(out, span{w.start, end, KindPersonName, roleSuggestion(text, w.start, end)})
			}
			i = last
			continue
		}
		if k.aloneIsPerson(text, ws, i) {
			end := w.start + len(given)
			out = append(out, span{w.start, end, KindPersonName, roleSuggestion(text, w.start, end)})
		}
	}
	return out
}

// placeNouns after a name make it a place: "Will Rogers Airport".
var placeNouns = setOf("airport", "street", "avenue", "road", "park", "university", "college",
	"bridge", "center", "centre", "building", "station", "square", "boulevard", "hospital",
	"school", "institute", "foundation", "hall", "field", "stadium", "arena", "county", "lane")

// Companies named after people are followed by what they serve:
// "Charles Schwab customers".
var companyNouns = setOf("customers", "clients", "users", "accounts", "employees", "stores",
	"branches", "shares", "stock", "bank", "group", "inc", "ltd", "llc", "gmbh", "corporation")

func placeAfter(text string, ws []word, last int) bool {
	if last+1 >= len(ws) || !spaceBetween(text, ws[last], ws[last+1]) {
		return false
	}
	next := strings.ToLower(ws[last+1].text)
	return placeNouns[next] || companyNouns[next]
}

// unlistedGiven finds a given name missing from the list by the surname
// after it: a capitalised word that is no common word, followed by a
// listed surname that is no English word ("Kateryna Shevchenko").
func (k *Checker) unlistedGiven(text string, ws []word, i int) (int, bool) {
	w := ws[i].text
	lw := strings.ToLower(w)
	if i+1 >= len(ws) || !capitalised(w) || utf8.RuneCountInString(w) < 3 || !spaceBetween(text, ws[i], ws[i+1]) ||
		commonWords[lw] || notNames[lw] || k.notNames[lw] || k.own[lw] || ambiguous(lw) || surnames[lw] {
		return 0, false
	}
	sur := bare(ws[i+1].text)
	ls := strings.ToLower(sur)
	if !surnames[ls] || utf8.RuneCountInString(sur) < 4 || commonWords[ls] || ambiguousNames[ls] || ambiguousFirst[ls] ||
		firstNames[ls] || !k.surnameLike(sur) || placeAfter(text, ws, i+1) {
		return 0, false
	}
	return ws[i+1].start + len(sur), true
}

// surnameRun extends the given name at ws[i] over the surname and middle
// names after it and returns the end offset and the index of the last word;
// last == i when no surname follows.
func (k *Checker) surnameRun(text string, ws []word, i int) (end, last int) {
	// An ambiguous given name needs a listed or surname-shaped word after
	// it at the start of a sentence, where its capital proves nothing, and
	// wherever it is more often something else (a month, a place, a word
	// such as "River": "in May Acme …", "Hudson River Trading"). A usual
	// given name mid-sentence takes any surname-like word ("thanks to Nick
	// Craver").
	lg := strings.ToLower(bare(ws[i].text))
	amb := ambiguous(lg) && (sentenceStart(text, ws[i].start) || !usualGiven[lg])
	end, last = ws[i].end, i
	if bare(ws[i].text) != ws[i].text {
		return end, last // "Rafael's" ends the name
	}
	for j := i + 1; j < len(ws) && j <= i+4; j++ {
		if !spaceBetween(text, ws[j-1], ws[j]) {
			break
		}
		t := bare(ws[j].text)
		lt := strings.ToLower(t)
		if particles[lt] && j+1 < len(ws) && spaceBetween(text, ws[j], ws[j+1]) && k.surnameLike(bare(ws[j+1].text)) {
			j++
			t = bare(ws[j].text)
		} else if !k.surnameLike(t) {
			break
		}
		if last == i && amb && !strongSurname(t) {
			break
		}
		end, last = ws[j].start+len(t), j
		if t != ws[j].text {
			break // a possessive ends the name
		}
	}
	return end, last
}

// personVerbs follow a person alone; the past tense is guessed from -ed.
var personVerbs = setOf("was", "had", "did", "ran", "began", "saw", "took", "wrote", "made",
	"found", "sent", "led", "shut", "put", "set", "got", "gave", "told", "became", "brought",
	"kept", "left", "held", "spun", "went", "said", "knew", "thought", "spotted", "from", "who")

// personCues come just before a person's name: "reported by Siobhan",
// "thanks to Priya", "cc Lars".
var personCues = setOf("by", "thanks", "thank", "to", "cc", "credit", "kudos", "colleague",
	"teammate", "engineer", "manager", "dear")

// teamLinks join a person to a team: "on", "of", "at", "and".
var teamLinks = setOf("on", "of", "at", "and")

// aloneIsPerson decides whether a given name without a surname names a
// person: it must be distinctive (at least four letters, not ambiguous) and
// the words around it must say so.
func (k *Checker) aloneIsPerson(text string, ws []word, i int) bool {
	given := bare(ws[i].text)
	lg := strings.ToLower(given)
	if ambiguous(lg) || utf8.RuneCountInString(given) < 4 {
		return false
	}
	if given != ws[i].text {
		// a possessive before a lower-case word: "Aisha's change"
		return i+1 < len(ws) && !capitalised(ws[i+1].text) && strings.TrimSpace(text[ws[i].end:ws[i+1].start]) == ""
	}
	if i+1 < len(ws) {
		next := ws[i+1]
		gap := text[ws[i].end:next.start]
		if strings.TrimSpace(gap) == "" && (personVerbs[next.text] || pastVerb(next.text) && !capitalised(next.text)) {
			return true
		}
		if strings.TrimSpace(gap) == "," && (next.text == "who" || next.text == "our" || next.text == "one") {
			return true
		}
		// "Mariam on our support team", "Lena and the database team"
		if strings.TrimSpace(gap) == "" && teamLinks[next.text] && i+2 < len(ws) &&
			(ws[i+2].text == "our" || ws[i+2].text == "the") && teamAhead(ws[i+2:]) {
			return true
		}
	}
	if i > 0 {
		prev := strings.ToLower(ws[i-1].text)
		gap := strings.TrimSpace(text[ws[i-1].end:ws[i].start])
		if (gap == "" || gap == ",") && personCues[prev] {
			return prev != "to" || i > 1 && personCues[strings.ToLower(ws[i-2].text)]
		}
	}
	return false
}

// teamAhead reports whether "team", "squad" or "crew" comes within the
// next few words.
func teamAhead(ws []word) bool {
	for i := 0; i < len(ws) && i < 5; i++ {
		switch strings.ToLower(ws[i].text) {
		case "team", "squad", "crew", "rotation", "desk":
			return true
		}
	}
	return false
}
