package reporttest

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"regexp"
	"strconv"
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

// PDFText is every stream of a PDF joined, inflated: what to search for a
// string the document shows (and its metadata, which is not compressed).
func PDFText(pdf []byte) (string, error) {
	streams, err := PDFStreams(pdf)
	if err != nil {
		return "", err
	}
	return string(pdf) + "\n" + string(bytes.Join(streams, []byte("\n"))), nil
}
