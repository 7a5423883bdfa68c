package reports

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/notify"
)

// DraftsReady tells the staff leads (admins and SREs) that the monthly
// drafts are ready: one email per lead per month, listing every customer.
func DraftsReady(ctx context.Context, store *models.Store, o *notify.Outbox, baseURL string, prepared []Prepared) (int, error) {
	if len(prepared) == 0 {
		return 0, nil
	}
	leads, err := store.StaffLeads(ctx)
	if err != nil {
		return 0, err
	}
	sort.Slice(prepared, func(i, j int) bool { return prepared[i].Customer < prepared[j].Customer })
	var text strings.Builder
	fmt.Fprintf(&text, "The monthly review drafts are ready:\n\n")
	for _, p := range prepared {
		fmt.Fprintf(&text, "- %s, %s: %s/customers/%d\n", p.Customer, p.Month, baseURL, p.CustomerID)
	}
	text.WriteString("\nRead each one, then issue it to send it to the customer.\n")
	month := prepared[0].Month
	emails := make([]notify.Email, 0, len(leads))
	for _, u := range leads {
		emails = append(emails, notify.Email{To: u.Email, Kind: "review_drafts", Period: month,
			Subject: fmt.Sprintf("amends: %d monthly review drafts for %s are ready", len(prepared), month), Text: text.String()})
	}
	return o.Enqueue(ctx, emails)
}

// EmailIssued sends an issued review to its customer's contacts, once per
// contact and review however often it is asked. The snapshot is the
// customer's version, so nothing internal is in it.
func EmailIssued(ctx context.Context, store *models.Store, o *notify.Outbox, actor *models.User, issuedID uint) (int, error) {
	r, ir, err := LoadIssued(ctx, store, actor, issuedID)
	if err != nil {
		return 0, err
	}
	if ir.Superseded {
		return 0, &models.RuleError{Code: "superseded", Message: fmt.Sprintf("revision %d of %s was superseded: send the latest", ir.Revision, ir.Month)}
	}
	c, err := store.GetCustomer(ctx, actor, ir.CustomerID)
	if err != nil {
		return 0, err
	}
	if len(c.Contacts) == 0 {
		return 0, noContacts(c)
	}
	var md, html bytes.Buffer
	if err := Render(&md, r, "md"); err != nil {
		return 0, err
	}
	if err := Render(&html, r, "html"); err != nil {
		return 0, err
	}
	subject := fmt.Sprintf("Monthly SLO review, %s", ir.Month)
	if ir.Revision > 1 {
		subject += fmt.Sprintf(" (revision %d, replaces the earlier one)", ir.Revision)
	}
	emails := make([]notify.Email, 0, len(c.Contacts))
	for _, to := range c.Contacts {
		emails = append(emails, notify.Email{To: to, Kind: "review", Period: fmt.Sprintf("issued-%d", ir.ID),
			Subject: subject, Text: md.String(), HTML: html.String()})
	}
	return o.Enqueue(ctx, emails)
}

func noContacts(c *models.Customer) error {
	return &models.RuleError{Code: "no_contacts", Message: fmt.Sprintf("%s has no review contacts to send it to", c.Name)}
}
