package subscribe

import (
	"bytes"
	"fmt"
	texttemplate "text/template"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/notify"
	"github.com/amendsdev/amends/web"
)

var changesText = texttemplate.Must(texttemplate.ParseFS(web.Templates, "templates/mail/changes.txt"))

type mailChange struct{ Text, Link string }

type mailData struct {
	Name, Organisation, Day, Manage, Unsubscribe string
	Digest                                       bool
	Changes                                      []mailChange
}

// changeMail is one subscriber's email about changes: instant (one
// change, keyed by its event) or a day's digest (keyed by the day). Like
// every amends email it carries a one-click List-Unsubscribe (RFC 8058),
// which pauses the address's emails.
func changeMail(base string, to *models.User, signer *notify.Signer, organisation string, changes []models.CustomerChange, day string) (notify.Email, error) {
	unsubscribe := base + "/notifications/unsubscribe?token=" + signer.Token(to.Email)
	d := mailData{Name: to.Name, Organisation: organisation, Day: day, Digest: day != "",
		Manage: base + "/portal/subscriptions", Unsubscribe: unsubscribe}
	for _, c := range changes {
		d.Changes = append(d.Changes, mailChange{Describe(c), PortalLink(base, c)})
	}
	var text bytes.Buffer
	if err := changesText.Execute(&text, d); err != nil {
		return notify.Email{}, fmt.Errorf("render change email to %s: %w", to.Email, err)
	}
	e := notify.Email{To: to.Email, Text: text.String(), Headers: notify.Headers{
		"List-Unsubscribe": "<" + unsubscribe + ">", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}}
	if day != "" {
		e.Kind, e.Period = "change_digest", day
		e.Subject = fmt.Sprintf("amends: %d changes for %s on %s", len(changes), organisation, day)
		return e, nil
	}
	e.Kind, e.Period = "change", fmt.Sprint(changes[0].EventID)
	e.Subject = "amends: " + Describe(changes[0])
	if r := []rune(e.Subject); len(r) > 200 {
		e.Subject = string(r[:199]) + "…"
	}
	return e, nil
}
