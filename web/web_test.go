package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

func TestMarkdownIsSanitised(t *testing.T) {
	scenarios := []struct{ in, want, never string }{
		{"**bold** and `code`", "<strong>bold</strong>", ""},
		{"- a\n- b", "<li>a</li>", ""},
		{"<script>alert(1)</script>\n\nhi", "hi", "<script"},
		{"[x](javascript:alert(1))", "x", "javascript:"},
		{"<img src=x onerror=alert(1)>", "", "onerror"},
		{"| a | b |\n|---|---|\n| 1 | 2 |", "<table>", ""},
		// A tracking pixel becomes a link the reader may follow, never an
		// image the browser fetches on its own.
		{"![x](http://host.example/pixel.png)", `<a href="http://host.example/pixel.png"`, "<img"},
		{"![x](//host.example/p.png) ![y][r]\n\n[r]: https://host.example/q.png", `href="https://host.example/q.png"`, "<img"},
		{"![x](/\\host.example/p.png)", "x", "<img"},
		{"![chart](/static/x/chart.png)", `<img src="/static/x/chart.png"`, ""},
	}
	for _, sc := range scenarios {
		got := string(Markdown(sc.in))
		if !strings.Contains(got, sc.want) || (sc.never != "" && strings.Contains(got, sc.never)) {
			t.Errorf("Markdown(%q) = %q", sc.in, got)
		}
	}
}

func TestEmbeddedFiles(t *testing.T) {
	for _, name := range []string{"templates/layout.html", "templates/login.html", "templates/error.html"} {
		if _, err := fs.Stat(Templates, name); err != nil {
			t.Errorf("%s is not embedded: %v", name, err)
		}
	}
	if _, err := fs.Stat(Static, "style.css"); err != nil {
		t.Errorf("style.css is not embedded: %v", err)
	}
	if len(StaticVersion) != 12 {
		t.Errorf("static version %q", StaticVersion)
	}
}

// The pages' Content-Security-Policy allows no inline script or style:
// no template may carry a script without src, a style attribute or an
// event handler. The monthly review's style block is allowed by its hash;
// mail templates are not pages.
func TestTemplatesNeedNoInlineCode(t *testing.T) {
	inline := regexp.MustCompile(`(?i)<script(\s[^>]*)?>|\sstyle=|\son[a-z]+=|javascript:`)
	fs.WalkDir(Templates, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(path, "templates/mail/") {
			return err
		}
		b, _ := fs.ReadFile(Templates, path)
		for _, m := range inline.FindAllString(string(b), -1) {
			if !strings.Contains(m, "src=") {
				t.Errorf("%s: inline code %q", path, m)
			}
		}
		return nil
	})
	if len(InlineStyleHashes) != 1 {
		t.Errorf("want the review's one style block hashed, got %v", InlineStyleHashes)
	}
}
