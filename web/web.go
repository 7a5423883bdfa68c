// Package web holds the templates, styles and scripts of the pages, embedded
// in the binary, and the Markdown rendering they share.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Templates are the page templates, one file per page plus layout.html.
//
//go:embed templates
var Templates embed.FS

//go:embed static
var static embed.FS

// Static is the directory of styles and scripts, served under /static/.
var Static, _ = fs.Sub(static, "static")

// StaticVersion is a hash of every static file, put in their URLs so that a
// new release is never served from a stale browser cache.
var StaticVersion = hashFS(Static)

func hashFS(fsys fs.FS) string {
	h := sha256.New()
	fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, path)
		h.Write([]byte(path))
		h.Write(b)
		return err
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}

var (
	md       = goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithParserOptions(imageTransformer))
	sanitize = bluemonday.UGCPolicy()
)

// Markdown renders Markdown to HTML that is safe to embed: goldmark turns
// it into HTML, bluemonday removes anything that could run or load.
func Markdown(src string) template.HTML {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(sanitize.SanitizeBytes(buf.Bytes()))
}

// InlineStyleHashes are the CSP sources ('sha256-…') of the one inline
// style block amends serves: the monthly review's, kept inline so that a
// downloaded review is one self-contained file.
var InlineStyleHashes = styleHashes("templates/reports/review.html")

func styleHashes(name string) []string {
	b, err := Templates.ReadFile(name)
	if err != nil {
		panic(fmt.Sprintf("web: %s: %v", name, err))
	}
	var out []string
	for {
		_, after, ok := bytes.Cut(b, []byte("<style>"))
		if !ok {
			return out
		}
		css, rest, _ := bytes.Cut(after, []byte("</style>"))
		sum := sha256.Sum256(css)
		out = append(out, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
		b = rest
	}
}
