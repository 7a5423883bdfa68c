package web

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// urlAttrs are the attributes a browser follows or loads.
var urlAttrs = map[string]bool{"href": true, "src": true, "action": true, "formaction": true, "xlink:href": true, "poster": true, "cite": true, "background": true}

// FuzzMarkdown: whatever the source, the rendered HTML has no script
// element, no event-handler attribute and no javascript: URL.
func FuzzMarkdown(f *testing.F) {
	for _, seed := range []string{
		"**bold** and `code`\n\n- a\n- b",
		"<script>alert(1)</script>",
		"[x](javascript:alert(1)) [y](JaVaScRiPt&#58;alert(1)) [z]( java\tscript:alert(1))",
		"<img src=x onerror=alert(1)><a href=\"javascript:x\" onclick=y>a</a>",
		"<svg><script>alert(1)</script></svg><iframe src=//evil>",
		"![i](javascript:alert(1))\n\n[ref]\n\n[ref]: javascript:alert(1)",
		"<div style=\"background:url(javascript:alert(1))\">x</div>",
		"```html\n<script>alert(1)</script>\n```",
		"<<script>script>alert(1)<</script>/script>",
		"![pixel](http://host.example/p.png) ![p2](//h.example/p) <img src=https://h.example/x>",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		out := string(Markdown(src))
		if strings.Contains(strings.ToLower(out), "<script") {
			t.Fatalf("script tag in output:\n%s", out)
		}
		checkTokens(t, out)
	})
}

// checkTokens walks the output as a browser tokenizes it.
func checkTokens(t *testing.T, out string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		if tok.Data == "script" || tok.Data == "iframe" || tok.Data == "object" || tok.Data == "embed" {
			t.Fatalf("<%s> in output:\n%s", tok.Data, out)
		}
		for _, a := range tok.Attr {
			key := strings.ToLower(a.Key)
			if strings.HasPrefix(key, "on") || key == "style" {
				t.Fatalf("attribute %s=%q in output:\n%s", a.Key, a.Val, out)
			}
			if tok.Data == "img" && key == "src" && !sameSite(a.Val) {
				t.Fatalf("remote image %q in output:\n%s", a.Val, out)
			}
			if urlAttrs[key] && strings.HasPrefix(squash(a.Val), "javascript:") {
				t.Fatalf("javascript: URL in %s=%q:\n%s", a.Key, a.Val, out)
			}
		}
	}
}

// squash lowercases and drops the whitespace and control characters a
// browser ignores inside a URL scheme.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if r <= ' ' {
			return -1
		}
		return r
	}, strings.ToLower(s))
}
