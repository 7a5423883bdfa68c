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

var reviewLink = regexp.MustCompile(`href="(/api/v1/customers/\d+/reports/\d{4}-\d{2}\?format=html)"`)

// TestPagesLinkToMonthlyReviews signs in to the demo as staff and as a
// customer and opens last month's review from the customer page and the
// portal, with the session alone.
func TestPagesLinkToMonthlyReviews(t *testing.T) {
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
	customers, err := store.ListCustomers(context.Background(), &models.User{Role: models.RoleAdmin})
	if err != nil || len(customers) == 0 {
		t.Fatalf("demo customers: %v", err)
	}
	for _, who := range []struct{ email, password, page string }{
		{creds.AdminEmail, creds.AdminPassword, "/customers/" + id(customers[0].ID)},
		{creds.CustomerEmail, creds.CustomerPassword, "/portal"},
	} {
		b := newBrowser(t, srv.Handler())
		if status := b.login(who.email, who.password); status != 303 {
			t.Fatalf("sign in as %s: %d", who.email, status)
		}
		_, body, _ := b.get(who.page)
		links := reviewLink.FindAllStringSubmatch(body, -1)
		if len(links) != 6 {
			t.Fatalf("%s links to %d reviews, want 6", who.page, len(links))
		}
		status, review, _ := b.get(html.UnescapeString(links[1][1]))
		if status != 200 || !strings.Contains(review, "Monthly SLO review") || strings.Contains(review, testdb.Marker) {
			t.Errorf("last month's review from %s: %d", who.page, status)
		}
	}
}
