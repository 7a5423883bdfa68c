package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models"
)

// TestCustomerAdminIsDocumented: the flag that gives a customer its own
// administrator is in `amends help` and the docs, and does what they say.
func TestCustomerAdminIsDocumented(t *testing.T) {
	help, _, err := amends(t, "", "help")
	if err != nil || !strings.Contains(help, "[--customer SLUG [--customer-admin]]") {
		t.Fatalf("amends help does not show --customer-admin: %v\n%s", err, help)
	}
	for _, doc := range []string{"../../README.md", "../../docs/operations.md"} {
		b, err := os.ReadFile(doc)
		if err != nil || !strings.Contains(string(b), "--customer-admin") {
			t.Errorf("%s does not document --customer-admin (%v)", doc, err)
		}
	}
	db := filepath.Join(t.TempDir(), "amends.db")
	if _, _, err := amends(t, "", "migrate", "--db", db); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	store, closeDB := openFile(t, db)
	defer closeDB()
	if _, err := store.CreateCustomer(context.Background(), models.CustomerInput{Name: "Acme", Slug: "acme"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := amends(t, "", "user", "add", "--db", db, "--email", "ops@acme.example", "--name", "Ola",
		"--role", "customer", "--customer", "acme", "--customer-admin"); err != nil {
		t.Fatalf("user add --customer-admin: %v", err)
	}
	u, err := store.UserByEmail(context.Background(), "ops@acme.example")
	if err != nil || !u.IsCustomerAdmin() {
		t.Errorf("the user added with --customer-admin: %+v %v", u, err)
	}
}
