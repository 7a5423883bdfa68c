package server_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/demo"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/reports"
	"github.com/amendsdev/amends/server"
)

var (
	reviewLink = regexp.MustCompile(`href="(/customers/\d+/reviews/\d{4}-\d{2})"`)
	liveLink   = regexp.MustCompile(`/api/v1/customers/\d+/reports/`)
)

// TestPagesLinkToMonthlyReviews signs in to the demo as staff and as a
// customer and opens last month's review from the customer page (live) and
// the portal (issued only), with the session alone.
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
	b := newBrowser(t, srv.Handler())
	if status := b.login(creds.AdminEmail, creds.AdminPassword); status != 303 {
		t.Fatalf("sign in as %s: %d", creds.AdminEmail, status)
	}
	_, body, _ := b.get("/customers/" + id(customers[0].ID))
	links := reviewLink.FindAllStringSubmatch(body, -1)
	if len(links) != 6 {
		t.Fatalf("the customer page links to %d reviews, want 6", len(links))
	}
	status, review, _ := b.get(html.UnescapeString(links[1][1]))
	if status != 200 || !strings.Contains(review, "monthly SLO review") || strings.Contains(review, testdb.Marker) {
		t.Errorf("last month's review from the customer page: %d", status)
	}
	portalLinksToIssuedReviews(t, srv.Handler(), store, creds)
}

var issuedLink = regexp.MustCompile(`href="(/portal/reviews/\d+)"`)

// portalLinksToIssuedReviews: the portal lists only the organisation's
// issued reviews, and each opens with the session alone.
func portalLinksToIssuedReviews(t *testing.T, h http.Handler, store *models.Store, creds *demo.Credentials) {
	t.Helper()
	ctx := context.Background()
	cust, err := store.UserByEmail(ctx, creds.CustomerEmail)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := store.UserByEmail(ctx, creds.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	last := reports.MonthOf(store.Now(), time.UTC).Add(-1)
	if _, err := reports.Issue(ctx, store, admin, *cust.CustomerID, last, reports.IssueOptions{}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, h)
	if status := b.login(creds.CustomerEmail, creds.CustomerPassword); status != 303 {
		t.Fatalf("sign in as %s: %d", creds.CustomerEmail, status)
	}
	_, body, _ := b.get("/portal")
	links := issuedLink.FindAllStringSubmatch(body, -1)
	if len(links) != 1 || liveLink.MatchString(body) {
		t.Fatalf("the portal links to %d issued reviews (want 1) or to a live one", len(links))
	}
	status, review, _ := b.get(links[0][1])
	if status != 200 || !strings.Contains(review, "Monthly SLO review") || strings.Contains(review, testdb.Marker) {
		t.Errorf("the issued review from the portal: %d", status)
	}
}
