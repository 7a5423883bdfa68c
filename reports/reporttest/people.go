package reporttest

import (
	"context"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
)

// StaffMonth is the month whose review StaffAssignees fills: the current
// one at Now.
const StaffMonth = "2026-05"

// StaffAssignees assigns open items of May to our people by address and by
// name, on both sides: Alerting (ours) to "Sid Sre", Later (ours) stays
// with sre@provider.example, and a new open P1 item of the customer's is
// given to admin@provider.example. A customer-side item of
// the customer's own person, ops@kilo.example, stays as it is. It returns
// what the customer's version of May must never contain.
func (sc *Scenario) StaffAssignees(t testing.TB) []string {
	t.Helper()
	ctx := context.Background()
	at(sc.Store, Now.Add(-2*time.Hour))
	if _, err := sc.Store.UpdateItem(ctx, sc.SRE, sc.Alerting.ID, models.ItemPatch{Assignee: models.Some(sc.SRE.Name)}); err != nil {
		t.Fatalf("assign to a name: %v", err)
	}
	sc.customerItem(t, "Renew the partner certificate", sc.Admin.Email)
	sc.customerItem(t, "Update the client library", "ops@kilo.example")
	at(sc.Store, Now)
	return []string{sc.SRE.Email, sc.SRE.Name, sc.Admin.Email}
}

func (sc *Scenario) customerItem(t testing.TB, title, assignee string) {
	t.Helper()
	visible := true
	in := models.ItemInput{Title: title, Type: "repair", Priority: "P1", Owner: models.OwnerCustomer,
		CustomerID: &sc.K.ID, Assignee: assignee, CustomerVisible: &visible}
	if _, err := sc.Store.CreateItem(context.Background(), sc.SRE, sc.PM2.ID, in); err != nil {
		t.Fatalf("customer item %q: %v", title, err)
	}
}
