package main

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"html"
	"io"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode/utf16"

	"github.com/amendsdev/amends/reports/reporttest"
)

// leakScan searches everything a customer reads for the markers planted in
// what it must never read, and remembers where each turned up.
type leakScan struct {
	mu      sync.Mutex
	markers map[string]string // marker (lower case) -> what it marks
	// found: family -> output -> markers seen there.
	found map[string]map[string]map[string]bool
	// text: family -> everything read in it, for the positive controls.
	text map[string]*strings.Builder
}

// anyMarker catches a marker the registry forgot: every marker has this
// shape, and no clean text does. The dot keeps it apart from the base64url
// alphabet of tokens and CSRF values.
var anyMarker = regexp.MustCompile(`lkm\.\d{3}`)

func newLeakScan() *leakScan {
	return &leakScan{markers: map[string]string{}, found: map[string]map[string]map[string]bool{}, text: map[string]*strings.Builder{}}
}

// mark registers a marker and returns it: "lkm.NNN", unique per code.
func (s *leakScan) mark(code, what string) string {
	m := "lkm." + code
	if _, dup := s.markers[m]; dup {
		panic("marker " + m + " registered twice")
	}
	s.markers[m] = what
	return m
}

// literal registers a marker that does not have the lkm.NNN shape (a slug
// cannot hold a dot).
func (s *leakScan) literal(m, what string) string {
	s.markers[strings.ToLower(m)] = what
	return m
}

// readable is the text of an output as a reader sees it: PDFs inflated and
// their strings decoded, HTML entities undone, case folded.
func readable(body []byte) string {
	text := string(body)
	if bytes.HasPrefix(body, []byte("%PDF-")) {
		text = pdfText(body)
	}
	return strings.ToLower(html.UnescapeString(text))
}

// scan records the markers in one output of a family.
func (s *leakScan) scan(family, output string, body []byte) {
	text := readable(body)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.text[family] == nil {
		s.text[family] = &strings.Builder{}
	}
	s.text[family].WriteString(text)
	s.text[family].WriteString("\n")
	hits := map[string]bool{}
	for m := range s.markers {
		if strings.Contains(text, m) {
			hits[m] = true
		}
	}
	for _, m := range anyMarker.FindAllString(text, -1) {
		hits[m] = true
	}
	if len(hits) == 0 {
		return
	}
	if s.found[family] == nil {
		s.found[family] = map[string]map[string]bool{}
	}
	if s.found[family][output] == nil {
		s.found[family][output] = map[string]bool{}
	}
	for m := range hits {
		s.found[family][output][m] = true
	}
}

// report fails the test once per output of the family that showed a
// marker, naming the output and every marker with what it marks.
func (s *leakScan) report(t *testing.T, family string) {
	t.Helper()
	outputs := s.found[family]
	names := make([]string, 0, len(outputs))
	for o := range outputs {
		names = append(names, o)
	}
	sort.Strings(names)
	for _, o := range names {
		var ms []string
		for m := range outputs[o] {
			ms = append(ms, m)
		}
		sort.Strings(ms)
		var lines []string
		for _, m := range ms {
			what := s.markers[m]
			if what == "" {
				what = "an unregistered marker"
			}
			lines = append(lines, fmt.Sprintf("%s (%s)", m, what))
		}
		t.Errorf("%s shows: %s", o, strings.Join(lines, "; "))
	}
}

// control fails unless each clean, shared text turned up somewhere in the
// family: a scan that read nothing must not pass.
func (s *leakScan) control(t *testing.T, family string, want ...string) {
	t.Helper()
	b := s.text[family]
	for _, w := range want {
		if b == nil || !strings.Contains(b.String(), strings.ToLower(w)) {
			t.Errorf("control: %q, which the customer may read, is in none of the %s outputs: the scan proves nothing", w, family)
		}
	}
}

// pdfText is every string of a PDF: fpdf compresses its content streams
// (FlateDecode), and writes text as literal strings in UTF-16BE with a
// byte order mark (the document information), cp1252 (core fonts), or,
// with the review's embedded Unicode font, UTF-16BE without one: the text
// every page shows is added as reporttest.PDFText decodes it, a wrapped
// cell's lines joined both with spaces and without, so that a marker cut
// across two lines is still found.
func pdfText(pdf []byte) string {
	var parts [][]byte
	rest := pdf
	for {
		i := bytes.Index(rest, []byte("stream"))
		if i < 0 {
			parts = append(parts, rest)
			break
		}
		parts = append(parts, rest[:i])
		start := i + len("stream")
		for start < len(rest) && (rest[start] == '\r' || rest[start] == '\n') {
			start++
		}
		end := bytes.Index(rest[start:], []byte("endstream"))
		if end < 0 {
			parts = append(parts, rest[start:])
			break
		}
		data := rest[start : start+end]
		if r, err := zlib.NewReader(bytes.NewReader(data)); err == nil {
			if inflated, err := io.ReadAll(r); err == nil {
				data = inflated
			}
		}
		parts = append(parts, data)
		rest = rest[start+end+len("endstream"):]
	}
	var out strings.Builder
	for _, p := range parts {
		for _, s := range pdfStrings(p) {
			out.WriteString(s)
			out.WriteString("\n")
		}
	}
	if shown, err := reporttest.PDFText(pdf); err == nil {
		out.WriteString(shown)
	}
	return out.String()
}

// pdfStrings decodes the literal strings "( … )" of a piece of PDF.
func pdfStrings(p []byte) []string {
	var out []string
	for i := 0; i < len(p); i++ {
		if p[i] != '(' {
			continue
		}
		var s []byte
		depth := 1
		j := i + 1
		for ; j < len(p) && depth > 0; j++ {
			c := p[j]
			switch {
			case c == '\\' && j+1 < len(p):
				j++
				switch e := p[j]; e {
				case 'n':
					s = append(s, '\n')
				case 'r':
					s = append(s, '\r')
				case 't':
					s = append(s, '\t')
				case '0', '1', '2', '3', '4', '5', '6', '7':
					v := 0
					k := 0
					for ; k < 3 && j < len(p) && p[j] >= '0' && p[j] <= '7'; k++ {
						v = v*8 + int(p[j]-'0')
						j++
					}
					j--
					s = append(s, byte(v))
				default:
					s = append(s, e)
				}
			case c == '(':
				depth++
				s = append(s, c)
			case c == ')':
				depth--
				if depth > 0 {
					s = append(s, c)
				}
			default:
				s = append(s, c)
			}
		}
		out = append(out, decodePDFString(s))
		i = j - 1
	}
	return out
}

func decodePDFString(s []byte) string {
	if len(s) >= 2 && s[0] == 0xfe && s[1] == 0xff {
		u := make([]uint16, 0, len(s)/2)
		for k := 2; k+1 < len(s); k += 2 {
			u = append(u, uint16(s[k])<<8|uint16(s[k+1]))
		}
		return string(utf16.Decode(u))
	}
	// cp1252 agrees with Latin-1 on what a marker or a control holds.
	r := make([]rune, len(s))
	for k, b := range s {
		r[k] = rune(b)
	}
	return string(r)
}
