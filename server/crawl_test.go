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
	for _, who := range []struct {
		email, password, start string
		// reach are patterns of pages the crawl must find by links alone,
		// as a new user would.
		reach []string
	}{
		{creds.AdminEmail, creds.AdminPassword, "/", []string{`^/customers/new$`, `^/customers/\d+/edit$`,
			`^/customers/\d+/slos$`, `^/customers/\d+/slos/\d+/edit$`, `^/admin/customers/\d+/users$`,
			`^/admin/settings$`, `^/admin/users$`, `^/admin/outbox$`, `^/admin/provider$`}},
		{creds.CustomerEmail, creds.CustomerPassword, "/portal", nil},
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
			for _, pattern := range who.reach {
				re := regexp.MustCompile(pattern)
				found := false
				for link := range seen {
					found = found || re.MatchString(link)
				}
				if !found {
					t.Errorf("no link leads to a page like %s", pattern)
				}
			}
			if len(seen) < 3 {
				t.Errorf("crawl found only %v", seen)
			}
		})
	}
}
