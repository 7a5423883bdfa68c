package web

import (
	"html"
	"strings"

	"github.com/microcosm-cc/bluemonday"
)

// PlainText is Markdown as one line of plain text, for a page's meta
// description and link previews: rendered, every tag removed, entities
// undone and white space collapsed. Only the first paragraph is kept.
func PlainText(src string) string {
	first, _, _ := strings.Cut(strings.TrimSpace(strings.ReplaceAll(src, "\r\n", "\n")), "\n\n")
	text := bluemonday.StrictPolicy().Sanitize(string(Markdown(first)))
	return strings.Join(strings.Fields(html.UnescapeString(text)), " ")
}
