package server_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/demo"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/server"
)

var hrefs = regexp.MustCompile(`(?:href|src)="([^"]*)"`)

// TestEveryLinkAnswers signs in to the demo as each kind of user and
// follows every link on every page it can reach: none may answer with an
// error.
func TestEveryLinkAnswers(t *testing.T) {
	db := testdb.SQLite(t)
	store := models.NewStore(db)
	creds, err := demo.Seed(context.Background(), store)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Config{}, store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []struct{ email, password, start string }{
		{creds.AdminEmail, creds.AdminPassword, "/"},
		{creds.CustomerEmail, creds.CustomerPassword, "/portal"},
	} {
		t.Run(who.email, func(t *testing.T) {
			b := newBrowser(t, srv.Handler())
			if status := b.login(who.email, who.password); status != 303 {
				t.Fatalf("sign in: %d", status)
			}
			seen := map[string]bool{who.start: true}
			queue := []string{who.start}
			for len(queue) > 0 && len(seen) < 400 {
				page := queue[0]
				queue = queue[1:]
				status, body, _ := b.get(page)
				if status != 200 {
					t.Errorf("%s answers %d", page, status)
					continue
				}
				for _, m := range hrefs.FindAllStringSubmatch(body, -1) {
					link, _, _ := strings.Cut(html.UnescapeString(m[1]), "#")
					if link == "" || !strings.HasPrefix(link, "/") || seen[link] {
						continue
					}
					seen[link] = true
					queue = append(queue, link)
				}
			}
			t.Logf("%d pages and assets answered", len(seen))
			if len(seen) < 3 {
				t.Errorf("crawl found only %v", seen)
			}
		})
	}
}
