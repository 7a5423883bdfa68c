package models

import (
	"unicode/utf8"
)

// TextProblem says what is wrong with a text value, or "" if nothing.
// Refused everywhere: bytes that are not UTF-8 and NUL (PostgreSQL stores
// neither), the other control characters, and the bidirectional
// embedding, override and isolate characters (U+202A–U+202E,
// U+2066–U+2069), which make a title display in another order than it
// was written. Newline, carriage return and tab are allowed only where
// text has lines (Markdown fields, comments).
func TextProblem(v string, lines bool) string {
	if !utf8.ValidString(v) {
		return "must be valid UTF-8 text"
	}
	for _, r := range v {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			if !lines {
				return "must be one line, without tabs"
			}
		case r == 0:
			return "must not contain NUL characters"
		case r < 0x20 || (r >= 0x7f && r <= 0x9f):
			return "must not contain control characters"
		case (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069):
			return "must not contain bidirectional override or isolate characters"
		}
	}
	return ""
}
