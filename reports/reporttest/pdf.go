package reporttest

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
)

var pdfStream = regexp.MustCompile(`<<([^>]*/Length (\d+)[^>]*)>>\s*stream\r?\n`)

// PDFStreams returns the content of every stream of a PDF, inflated where
// it is compressed, so that tests can search the text a page draws. fpdf
// with core fonts writes one stream per page and no others.
func PDFStreams(pdf []byte) ([][]byte, error) {
	var out [][]byte
	for _, m := range pdfStream.FindAllSubmatchIndex(pdf, -1) {
		dict := pdf[m[2]:m[3]]
		n, _ := strconv.Atoi(string(pdf[m[4]:m[5]]))
		if m[1]+n > len(pdf) {
			return nil, fmt.Errorf("PDF stream of %d bytes runs past the end", n)
		}
		data := pdf[m[1] : m[1]+n]
		if !bytes.Contains(dict, []byte("/FlateDecode")) {
			out = append(out, data)
			continue
		}
		zr, err := zlib.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("inflate PDF stream: %w", err)
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			return nil, fmt.Errorf("inflate PDF stream: %w", err)
		}
		out = append(out, b)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no streams in the PDF")
	}
	return out, nil
}

// PDFText is what a PDF shows: its metadata (not compressed) and the text
// every page draws, decoded from the embedded Unicode font's UTF-16, twice:
// the lines joined with spaces, so that a title wrapped at its spaces
// onto several lines of a table cell reads whole, and joined with
// nothing, so that an address cut mid-word reads whole too. A search for
// a string that must not be there finds it either way.
func PDFText(pdf []byte) (string, error) {
	pages, err := PDFPages(pdf)
	if err != nil {
		return "", err
	}
	streams, _ := PDFStreams(pdf)
	var tight []string
	for _, s := range streams {
		tight = append(tight, strings.Join(shownStrings(s), ""))
	}
	return string(pdf) + "\n" + strings.Join(pages, "\n") + "\n" + strings.Join(tight, "\n"), nil
}

// PDFPages is the text each page draws, in order: the content streams,
// the ones that show text, decoded. Font programs and maps are left out.
func PDFPages(pdf []byte) ([]string, error) {
	streams, err := PDFStreams(pdf)
	if err != nil {
		return nil, err
	}
	var pages []string
	for _, s := range streams {
		if shown.Match(s) && bytes.Contains(s, []byte("BT ")) {
			pages = append(pages, strings.Join(shownStrings(s), " "))
		}
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("no page of the PDF shows text")
	}
	return pages, nil
}

var shown = regexp.MustCompile(`(?s)\(((?:\\.|[^\\)])*)\)\s*Tj`)

// shownStrings are the strings a content stream shows with Tj, unescaped
// and read as UTF-16BE (fpdf's encoding for Unicode fonts).
func shownStrings(stream []byte) []string {
	var out []string
	for _, m := range shown.FindAllSubmatch(stream, -1) {
		raw := unescape(m[1])
		if len(raw)%2 != 0 {
			out = append(out, string(raw))
			continue
		}
		u := make([]uint16, len(raw)/2)
		for i := range u {
			u[i] = uint16(raw[2*i])<<8 | uint16(raw[2*i+1])
		}
		out = append(out, string(utf16.Decode(u)))
	}
	return out
}

// unescape undoes PDF literal string escapes: \\, \(, \), \r, \n.
func unescape(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 == len(b) {
			out = append(out, b[i])
			continue
		}
		i++
		switch b[i] {
		case 'r':
			out = append(out, '\r')
		case 'n':
			out = append(out, '\n')
		default:
			out = append(out, b[i])
		}
	}
	return out
}
