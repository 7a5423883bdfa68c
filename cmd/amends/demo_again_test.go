package main

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/demo"
)

// --demo on a database the demo filled earlier prints a sign-in that
// works; on a database of real data it gives out none and says how to get
// one. 256.0.0.1 cannot be listened on, so serve stops after start-up.
func TestDemoOnAFilledDatabase(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "demo.db")
	t.Setenv("AMENDS_BASE_URL", "")
	first, _, _ := amends(t, "", "serve", "--demo", "--db", db, "--addr", "256.0.0.1:1")
	oldPW := regexp.MustCompile(`staff \(admin\):\s+\S+\s+password (\S+)`).FindStringSubmatch(first)
	if oldPW == nil {
		t.Fatalf("first --demo printed:\n%s", first)
	}
	// A session of the demo admin from before: a new password ends it.
	store, closeDB := openFile(t, db)
	admin, err := store.UserByEmail(ctx, demo.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	oldSession, _, err := store.CreateSession(ctx, admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	closeDB()

	out, stderr, _ := amends(t, "", "serve", "--demo", "--db", db, "--addr", "256.0.0.1:1")
	if !strings.Contains(out, "already has data") || !strings.Contains(out, "loaded earlier") {
		t.Fatalf("second --demo does not say the demo was loaded before:\n%s\n%s", out, stderr)
	}
	staff := regexp.MustCompile(`staff \(admin\):\s+(\S+)\s+password (\S+)`).FindStringSubmatch(out)
	cust := regexp.MustCompile(`customer user:\s+(\S+)\s+password (\S+)`).FindStringSubmatch(out)
	token := regexp.MustCompile(`API token \(admin\): (amd_\S+)`).FindStringSubmatch(out)
	if staff == nil || cust == nil || token == nil || !strings.Contains(out, "http://256.0.0.1:1/login") {
		t.Fatalf("second --demo printed no complete sign-in:\n%s", out)
	}
	store, closeDB = openFile(t, db)
	defer closeDB()
	for _, c := range [][]string{staff, cust} {
		if _, err := store.Authenticate(ctx, c[1], c[2]); err != nil {
			t.Errorf("printed password of %s does not sign in: %v", c[1], err)
		}
	}
	if _, err := store.Authenticate(ctx, demo.AdminEmail, oldPW[1]); err == nil {
		t.Error("the first password still signs in")
	}
	if u, err := store.UserByToken(ctx, token[1]); err != nil || u.Email != demo.AdminEmail {
		t.Errorf("printed token: user %v, err %v", u, err)
	}
	if _, err := store.SessionByToken(ctx, oldSession); err == nil {
		t.Error("a session from before the new password still works")
	}
	var postmortems int64
	if err := store.DB().R.Model(&models.Postmortem{}).Count(&postmortems).Error; err != nil || postmortems != 8 {
		t.Errorf("the demo data changed: %d postmortems, err %v", postmortems, err)
	}
}

func TestDemoOnRealDataGivesNoSignIn(t *testing.T) {
	db := filepath.Join(t.TempDir(), "real.db")
	if _, _, err := amends(t, "", "migrate", "--db", db); err != nil {
		t.Fatal(err)
	}
	if _, _, err := amends(t, "a long enough password\n", "user", "add", "--db", db, "--email", "lead@corp.example",
		"--name", "Lead", "--role", "admin", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	out, stderr, _ := amends(t, "", "serve", "--demo", "--db", db, "--addr", "256.0.0.1:1")
	if strings.Contains(out, "password") || strings.Contains(out, "amd_") {
		t.Errorf("--demo printed credentials for real data:\n%s", out)
	}
	if !strings.Contains(stderr, "not the demo") || !strings.Contains(stderr, "amends user add") {
		t.Errorf("--demo does not say how to sign in:\n%s", stderr)
	}
}

func openFile(t *testing.T, path string) (*models.Store, func()) {
	t.Helper()
	db, err := database.Open(database.OpenConfig{SQLitePath: path})
	if err != nil {
		t.Fatal(err)
	}
	return models.NewStore(db), func() { db.Close() }
}
