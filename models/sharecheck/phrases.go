package sharecheck

import "strings"

// phraseSet finds vendor names and allowed words: ASCII case-insensitive,
// on word boundaries, with any run of white space between words. A plain
// scan is several times faster here than one large case-insensitive regular
// expression, and Check runs on every debounced edit.
type phraseSet [][]string // each phrase as ASCII-lower-case words

func newPhraseSet(phrases []string) phraseSet {
	var ps phraseSet
	for _, p := range phrases {
		if words := strings.Fields(asciiLower(p)); len(words) > 0 {
			ps = append(ps, words)
		}
	}
	return ps
}

// find returns the [start, end) byte ranges of every phrase in text;
// overlapping phrases ("Google" in "Google Cloud") are all returned.
func (ps phraseSet) find(text string) [][2]int {
	if len(ps) == 0 {
		return nil
	}
	lower := asciiLower(text)
	var out [][2]int
	for _, words := range ps {
		for from := 0; ; {
			i := strings.Index(lower[from:], words[0])
			if i < 0 {
				break
			}
			start := from + i
			if end, ok := matchRest(lower, start+len(words[0]), words[1:]); ok && wordBounded(text, start, end) {
				out = append(out, [2]int{start, end})
			}
			from = start + 1
		}
	}
	return out
}

// matchRest matches the remaining words of a phrase from end, each after
// at least one white-space character.
func matchRest(lower string, end int, words []string) (int, bool) {
	for _, w := range words {
		j := end
		for j < len(lower) && (lower[j] == ' ' || lower[j] == '\t' || lower[j] == '\n' || lower[j] == '\r') {
			j++
		}
		if j == end || !strings.HasPrefix(lower[j:], w) {
			return 0, false
		}
		end = j + len(w)
	}
	return end, true
}

// asciiLower folds A-Z only, so byte offsets in the result are offsets in s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
