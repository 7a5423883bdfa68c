package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/notify"
)

// outboxInvitation finds the invitation email to an address in the
// outbox and returns its link.
func outboxInvitation(t *testing.T, store *models.Store, to string) (notify.Message, string) {
	t.Helper()
	msgs, err := notify.NewOutbox(store).List(context.Background(), "", 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.Recipient == to {
			full, err := notify.NewOutbox(store).Get(context.Background(), m.ID)
			if err != nil {
				t.Fatal(err)
			}
			return *full, inviteLink.FindString(full.TextBody)
		}
	}
	t.Fatalf("no email to %s in the outbox", to)
	return notify.Message{}, ""
}

func TestStaffInvitationFromTheUsersPage(t *testing.T) { testdb.Run(t, testStaffInvitation) }

func testStaffInvitation(t *testing.T, db *database.DB) {
	e := newEnv(t, db)
	admin := e.f.Admin.Email
	wantForm(t, e.page("POST", "/admin/invitations", admin, url.Values{"email": {"not mail"}, "role": {"owner"}}),
		http.StatusBadRequest, []string{"email", "role"}, []string{`value="not mail"`})
	wantForm(t, e.page("POST", "/admin/invitations", admin, url.Values{"email": {e.f.SRE.Email}, "role": {"viewer"}}),
		http.StatusConflict, []string{"email"}, nil)
	wantRedirect(t, e.page("POST", "/admin/invitations", admin, url.Values{"email": {"Nora@Provider.example"}, "role": {"sre"}}), "/admin/users")

	users := string(e.page("GET", "/admin/users", admin, nil).Body)
	if !strings.Contains(users, "nora@provider.example as SRE") {
		t.Errorf("the pending invitation is not listed")
	}
	msg, link := outboxInvitation(t, e.f.Store, "nora@provider.example")
	if link == "" || !strings.Contains(msg.TextBody, "join as sre") {
		t.Fatalf("the invitation email: %s", msg.TextBody)
	}
	if r := e.page("GET", link, "", nil); r.Status != 200 || !strings.Contains(string(r.Body), "nora@provider.example") {
		t.Fatalf("the invitation page answers %d", r.Status)
	}
	r := e.page("POST", link, "", url.Values{"name": {"Nora Ops"}, "password": {"a long enough password"}})
	wantRedirect(t, r, "/")
	if r.Header.Get("Location") != "/" {
		t.Errorf("a new staff member is sent to %s", r.Header.Get("Location"))
	}
	nora, err := e.f.Store.UserByEmail(context.Background(), "nora@provider.example")
	if err != nil || nora.Role != models.RoleSRE || nora.CustomerID != nil || nora.LastSignInAt == nil {
		t.Fatalf("the invited user: %+v %v", nora, err)
	}
	if r := e.page("POST", link, "", url.Values{"name": {"Again"}, "password": {"a long enough password"}}); r.Status != http.StatusGone {
		t.Errorf("an invitation used twice: %d", r.Status)
	}
	// The admin sees the new user, its last sign-in, and changes its role.
	users = string(e.page("GET", "/admin/users", admin, nil).Body)
	if strings.Contains(users, "nora@provider.example as SRE") || !strings.Contains(users, "Nora Ops") {
		t.Errorf("after accepting, the users page still lists the invitation or lacks the user")
	}
	wantRedirect(t, e.page("POST", fmt.Sprintf("/admin/users/%d/role", nora.ID), admin, url.Values{"role": {"viewer"}}), "/admin/users")
	if ev := auditFields(t, e, models.EntityUser, nora.ID); !hasEvent(ev, "role=sre>viewer by "+admin) || !hasEvent(ev, "created:role=>sre") {
		t.Errorf("user trail: %v", ev)
	}

	// A withdrawn invitation stops working.
	wantRedirect(t, e.page("POST", "/admin/invitations", admin, url.Values{"email": {"otto@provider.example"}, "role": {"viewer"}}), "/admin/users")
	_, link = outboxInvitation(t, e.f.Store, "otto@provider.example")
	invs, err := e.f.Store.StaffInvitations(context.Background(), e.f.Admin)
	if err != nil || len(invs) != 1 {
		t.Fatalf("pending: %v %v", invs, err)
	}
	wantRedirect(t, e.page("POST", fmt.Sprintf("/admin/invitations/%d/revoke", invs[0].ID), admin, nil), "/admin/users")
	if r := e.page("GET", link, "", nil); r.Status != http.StatusGone {
		t.Errorf("a withdrawn invitation answers %d", r.Status)
	}
}

func TestCustomerUsersPage(t *testing.T) { testdb.Run(t, testCustomerUsersPage) }

func testCustomerUsersPage(t *testing.T, db *database.DB) {
	e := newEnv(t, db)
	ctx := context.Background()
	admin := e.f.Admin.Email
	page := fmt.Sprintf("/admin/customers/%d/users", e.f.A.ID)
	body := string(e.page("GET", page, admin, nil).Body)
	for _, want := range []string{e.f.CustA.Email, e.f.CustAdminA.Email} {
		if !strings.Contains(body, want) {
			t.Errorf("the users page of Acme lacks %s", want)
		}
	}
	if strings.Contains(body, e.f.CustB.Email) {
		t.Errorf("the users page of Acme lists a Bravo user")
	}
	wantForm(t, e.page("POST", page[:len(page)-len("users")]+"invitations", admin, url.Values{"email": {"nope"}, "customer_admin": {"true"}}),
		http.StatusBadRequest, []string{"email"}, []string{`value="nope"`})
	wantRedirect(t, e.page("POST", page[:len(page)-len("users")]+"invitations", admin,
		url.Values{"email": {"boss@acme.example"}, "customer_admin": {"true"}}), page)
	msg, link := outboxInvitation(t, e.f.Store, "boss@acme.example")
	if !strings.Contains(msg.TextBody, "Acme") {
		t.Errorf("the invitation does not name the organisation: %s", msg.TextBody)
	}
	r := e.page("POST", link, "", url.Values{"name": {"Bo Boss"}, "password": {"a long enough password"}})
	wantRedirect(t, r, "/portal")
	boss, err := e.f.Store.UserByEmail(ctx, "boss@acme.example")
	if err != nil || !boss.IsCustomerAdmin() || *boss.CustomerID != e.f.A.ID {
		t.Fatalf("the invited administrator: %+v %v", boss, err)
	}
	if r := e.page("GET", "/portal/organisation", boss.Email, nil); r.Status != 200 {
		t.Errorf("the new administrator cannot open its organisation page: %d", r.Status)
	}

	user := fmt.Sprintf("%s/%d", page, e.f.CustA.ID)
	wantRedirect(t, e.page("POST", user+"/admin", admin, url.Values{"customer_admin": {"true"}}), page)
	if u, _ := e.f.Store.UserByEmail(ctx, e.f.CustA.Email); !u.CustomerAdmin {
		t.Errorf("not made an administrator")
	}
	wantRedirect(t, e.page("POST", user+"/admin", admin, url.Values{"customer_admin": {"false"}}), page)
	wantRedirect(t, e.page("POST", user+"/disable", admin, nil), page)
	u, _ := e.f.Store.UserByEmail(ctx, e.f.CustA.Email)
	if u.CustomerAdmin || !u.Disabled() {
		t.Errorf("after unsetting the flag and disabling: %+v", u)
	}
	if !strings.Contains(string(e.page("GET", page, admin, nil).Body), "disabled since") {
		t.Errorf("the page does not show the user disabled")
	}
	ev := auditFields(t, e, models.EntityUser, u.ID)
	if !hasEvent(ev, "customer_admin=false>true by "+admin) || !hasEvent(ev, "customer_admin=true>false") || !hasEvent(ev, "disabled=false>true") {
		t.Errorf("user trail: %v", ev)
	}
	// A staff member has a role, not the flag.
	r = e.page("POST", fmt.Sprintf("%s/%d/admin", page, e.f.SRE.ID), admin, url.Values{"customer_admin": {"true"}})
	wantRedirect(t, r, page)
	if u, _ := e.f.Store.UserByEmail(ctx, e.f.SRE.Email); u.CustomerAdmin {
		t.Errorf("a staff user was made a customer administrator")
	}
}
