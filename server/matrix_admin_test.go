package server_test

import (
	"context"
	"net/url"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

// The admin pages' rows of the role matrix (matrix_test.go): customers and
// SLOs for whoever may manage customers, the rest for admins only.

var (
	managePage = [7]int{200, 200, 403, 404, 404, 404, 303}
	manageForm = staffForm
)

// matrixSLO is customer A's SLO for the SLO pages' rows, made on first use.
func matrixSLO(f *testdb.Fixture) string {
	slo, _, err := f.Store.UpsertSLO(context.Background(), f.A.ID, models.SLOInput{Name: "matrix-slo", Target: 0.999, WindowDays: 28})
	if err != nil {
		panic(err)
	}
	return "/customers/" + id(f.A.ID) + "/slos/" + id(slo.ID)
}

func customerOfA(rest string) func(*testdb.Fixture) string {
	return func(f *testdb.Fixture) string { return "/customers/" + id(f.A.ID) + rest }
}

func usersOfA(rest string) func(*testdb.Fixture) string {
	return func(f *testdb.Fixture) string { return "/admin/customers/" + id(f.A.ID) + rest }
}

func init() {
	customer := form("name", "Initech", "slug", "initech", "time_zone", "UTC", "contacts", "ops@initech.example")
	slo := form("name", "matrix-slo", "target", "0.99", "window_days", "30")
	pageMatrix = append(pageMatrix,
		pageCase("GET", "/customers/new", fixed("/customers/new"), nil, managePage),
		pageCase("POST", "/customers", fixed("/customers"), customer, manageForm),
		pageCase("GET", "/customers/:id/edit", customerOfA("/edit"), nil, managePage),
		pageCase("POST", "/customers/:id", customerOfA(""), form("name", "Acme", "slug", "acme", "time_zone", "UTC"), manageForm),
		pageCase("GET", "/customers/:id/slos", customerOfA("/slos"), nil, staffPage),
		pageCase("POST", "/customers/:id/slos", customerOfA("/slos"), form("name", "new-slo", "target", "0.99", "window_days", "30"), manageForm),
		pageCase("GET", "/customers/:id/slos/:slo_id/edit", func(f *testdb.Fixture) string { return matrixSLO(f) + "/edit" }, nil, managePage),
		pageCase("POST", "/customers/:id/slos/:slo_id", matrixSLO, slo, manageForm),
		pageCase("POST", "/customers/:id/slos/:slo_id/delete", func(f *testdb.Fixture) string { return matrixSLO(f) + "/delete" }, nil, manageForm),

		pageCase("POST", "/admin/invitations", fixed("/admin/invitations"), form("email", "new@provider.example", "role", "sre"), adminForm),
		pageCase("POST", "/admin/invitations/:id/revoke", fixed("/admin/invitations/1/revoke"), func(e *env, r int) any {
			if _, _, err := e.f.Store.InviteStaff(context.Background(), e.f.Admin, "new@provider.example", "sre", nil); err != nil {
				e.t.Fatal(err)
			}
			return url.Values{}
		}, adminForm),
		pageCase("GET", "/admin/customers/:id/users", usersOfA("/users"), nil, adminPage),
		pageCase("POST", "/admin/customers/:id/invitations", usersOfA("/invitations"), form("email", "boss@acme.example", "customer_admin", "true"), adminForm),
		pageCase("POST", "/admin/customers/:id/invitations/:inv/revoke", usersOfA("/invitations/1/revoke"), func(e *env, r int) any {
			if _, _, err := e.f.Store.InviteCustomerUser(context.Background(), e.f.Admin, e.f.A.ID, "boss@acme.example", true, nil); err != nil {
				e.t.Fatal(err)
			}
			return url.Values{}
		}, adminForm),
		pageCase("POST", "/admin/customers/:id/users/:user_id/admin", func(f *testdb.Fixture) string { return usersOfA("/users/")(f) + id(f.CustA.ID) + "/admin" },
			form("customer_admin", "true"), adminForm),
		pageCase("POST", "/admin/customers/:id/users/:user_id/disable", func(f *testdb.Fixture) string { return usersOfA("/users/")(f) + id(f.CustA.ID) + "/disable" },
			nil, adminForm),
		pageCase("POST", "/admin/customers/:id/users/:user_id/enable", func(f *testdb.Fixture) string { return usersOfA("/users/")(f) + id(f.CustA.ID) + "/enable" },
			nil, adminForm),
		pageCase("GET", "/admin/settings", fixed("/admin/settings"), nil, adminPage),
		pageCase("POST", "/admin/settings/share-check", fixed("/admin/settings/share-check"), form("vendors", "Examplecloud"), adminForm),
		pageCase("POST", "/admin/settings/reminders", fixed("/admin/settings/reminders"),
			form("digest_day", "friday", "heads_up_days", "3", "escalate_after_days", "7", "work_start_hour", "9", "work_end_hour", "17"), adminForm),
		pageCase("POST", "/admin/settings/due-dates", fixed("/admin/settings/due-dates"), form("due_P0", "10"), adminForm),
	)
}
