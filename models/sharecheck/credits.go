package sharecheck

import (
	"regexp"
	"strings"
)

// honorificRe is a title before a name: "Dr. Okafor", "Ms Lindqvist".
var honorificRe = regexp.MustCompile(`\b(?:Mr|Mrs|Ms|Mx|Dr|Prof)\.?\s+(\p{Lu}[\p{Ll}\p{M}'’-]+(?:\s+\p{Lu}[\p{Ll}\p{M}'’-]+)?)`)

// thanksRe is a thanks or a credit before a capitalised phrase: "thanks,
// Niels Lunn", "Special thanks to Rafael Oliveira", "credit goes to".
var thanksRe = regexp.MustCompile(`(?i:\b(?:thanks|thank\s+you|thank|thanked|credit|kudos|shout-?outs?|gratitude|grateful)(?:\s+(?:also|again|especially))?(?:\s+(?:goes|go|is|are))?(?:\s+(?:to|for))?)\s*[,:]?\s+(\p{Lu}[\p{Ll}\p{M}'’-]+(?:\s+\p{Lu}[\p{Ll}\p{M}'’-]+){0,2})`)

// findCreditedNames finds names after honorifics and in thanks and credits;
// an unlisted given name needs a surname after it, and no word of the
// phrase may be a vendor, an allowed word or common vocabulary.
func (k *Checker) findCreditedNames(text string) []span {
	var out []span
	for _, m := range honorificRe.FindAllStringSubmatchIndex(text, -1) {
		if k.personPhrase(text[m[2]:m[3]], true) {
			out = append(out, span{m[2], m[3], KindPersonName, roleSuggestion(text, m[2], m[3])})
		}
	}
	for _, m := range thanksRe.FindAllStringSubmatchIndex(text, -1) {
		phrase := text[m[2]:m[3]]
		if !k.personPhrase(phrase, false) {
			continue
		}
		end := m[2] + len(bare(phrase))
		out = append(out, span{m[2], end, KindPersonName, roleSuggestion(text, m[2], end)})
	}
	return out
}

func (k *Checker) personPhrase(phrase string, titled bool) bool {
	ws := strings.Fields(phrase)
	for i, w := range ws {
		lw := strings.ToLower(bare(w))
		if notNames[lw] || k.notNames[lw] || k.own[lw] || commonWords[lw] && !surnames[lw] {
			return false
		}
		if bare(w) != w && i < len(ws)-1 || nounLike(lw) {
			return false
		}
	}
	first := bare(ws[0])
	return titled || len(ws) > 1 || firstNames[strings.ToLower(first)] && !ambiguous(strings.ToLower(first))
}

// handleSkip are @-words that are code or chat mentions of everyone.
var handleSkip = setOf("handles", "handle", "mentions", "username", "override", "media", "import", "param", "return", "returns", "deprecated",
	"types", "latest", "next", "here", "channel", "everyone", "all")

// findHandles reports @handles of people; team handles and code
// decorators are left alone, and so is an npm scope ("@babel/core").
func findHandles(text string) []span {
	var out []span
	for _, m := range handleRe.FindAllStringSubmatchIndex(text, -1) {
		h := text[m[2]:m[3]]
		if teamHandle(h) || handleSkip[strings.ToLower(h[1:])] || after(text, m[3]) == '/' || after(text, m[3]) == '@' {
			continue
		}
		out = append(out, span{m[2], m[3], KindPersonName, roleSuggestion(text, m[2], m[3])})
	}
	return out
}

// internalNames collects the people the internal fields name, so that the
// customer text is searched for them too.
func (k *Checker) internalNames(internal string) []string {
	if internal == "" {
		return nil
	}
	names := k.TimelineNames(internal)
	for _, s := range append(k.findUnknownNames(internal), k.findCreditedNames(internal)...) {
		names = append(names, internal[s.start:s.end])
	}
	return names
}
