package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/amendsdev/amends/server"
)

// TestOIDCInTheBrowser: a staff member clicks "Sign in with Test IdP",
// goes through the provider, and lands on the start page with the role
// their group gives; the group changed at the provider changes the role
// at the next sign-in; no matching group, or a disabled account, is
// refused with a page that says so.
func TestOIDCInTheBrowser(t *testing.T) {
	ctx := chrome(t)
	s := startOIDCServer(t, startProvider(t), server.Config{})
	who := person{Subject: "browser-1", Email: "grace@provider.example", Name: "Grace Hopper", EmailVerified: true,
		Groups: []string{"amends-admins"}}

	clickSignIn := func(name string) {
		step(t, ctx, name,
			chromedp.Navigate(s.URL+"/login"),
			chromedp.WaitVisible(css("#sign-in-provider")),
			chromedp.Click(css("#sign-in-provider")),
			chromedp.WaitVisible(css("main h1")),
		)
	}
	isAdmin := func() bool {
		admin, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('a[href="/admin/users"]') !== null`))
		if err != nil {
			t.Fatal(err)
		}
		return admin
	}
	signOut := func() {
		step(t, ctx, "sign out", chromedp.Click(css(`header.top button[type=submit]`)), chromedp.WaitVisible(css("#sign-in-provider")))
	}

	s.idp.next(who)
	clickSignIn("sign in as an admin")
	where, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if where != s.URL+"/" || textOf(t, ctx, ".nav-user") != "Grace Hopper" || !isAdmin() {
		t.Fatalf("after signing in: at %s as %q, admin %v", where, textOf(t, ctx, ".nav-user"), isAdmin())
	}
	signOut()

	who.Groups = []string{"staff"}
	s.idp.next(who)
	clickSignIn("sign in after the group changed")
	if textOf(t, ctx, ".nav-user") != "Grace Hopper" || isAdmin() {
		t.Fatal("the admin link is still there after the provider made Grace a viewer")
	}
	signOut()

	who.Groups = []string{"marketing"}
	s.idp.next(who)
	clickSignIn("sign in with no matching group")
	if msg := textOf(t, ctx, ".flash.error"); !strings.Contains(msg, "no rule gives your account a role in amends") {
		t.Fatalf("no matching group says %q", msg)
	}

	u := userByEmail(t, s, who.Email)
	if _, err := s.f.Store.SetDisabled(t.Context(), s.f.Admin, u.ID, true); err != nil {
		t.Fatal(err)
	}
	who.Groups = []string{"amends-admins"}
	s.idp.next(who)
	clickSignIn("sign in while disabled")
	if msg := textOf(t, ctx, ".flash.error"); !strings.Contains(msg, "This account is disabled") {
		t.Fatalf("a disabled account says %q", msg)
	}
}
