package web

import (
	"net/url"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// remoteImagesAsLinks turns an image whose source is on another site into
// a link to it: a customer's ![x](https://host/pixel.png) would otherwise
// be fetched by every staff member who opens the page, telling the host
// who read it and when. The reader can still follow the link on purpose.
// The pages' Content-Security-Policy refuses remote images as well.
type remoteImagesAsLinks struct{}

func (remoteImagesAsLinks) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	var images []*ast.Image
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if img, ok := n.(*ast.Image); ok && entering && !sameSite(string(img.Destination)) {
			images = append(images, img)
		}
		return ast.WalkContinue, nil
	})
	for _, img := range images {
		link := ast.NewLink()
		link.Destination, link.Title = img.Destination, img.Title
		for c := img.FirstChild(); c != nil; {
			next := c.NextSibling()
			link.AppendChild(link, c)
			c = next
		}
		img.Parent().ReplaceChild(img.Parent(), img, link)
	}
}

// sameSite reports whether an image source is a path of this site.
func sameSite(dest string) bool {
	if !strings.HasPrefix(dest, "/") || strings.HasPrefix(dest, "//") || strings.ContainsAny(dest, "\\\t\n\r") {
		return false
	}
	u, err := url.Parse(dest)
	return err == nil && u.Scheme == "" && u.Host == ""
}

var imageTransformer = parser.WithASTTransformers(util.Prioritized(remoteImagesAsLinks{}, 100))
