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
	Name, Organisation, Postmortem, Day, Manage, Unsubscribe string
	Digest                                                   bool
	Changes                                                  []mailChange
}

// changeMail is one subscriber's digest of a day's changes, keyed by the
// day. Like every amends email it carries a one-click List-Unsubscribe
// (RFC 8058), which pauses the address's emails.
func changeMail(base string, to *models.User, signer *notify.Signer, organisation string, changes []models.CustomerChange, day string) (notify.Email, error) {
	e, err := renderChanges(base, to, signer, mailData{Organisation: organisation, Day: day, Digest: true}, changes)
	e.Kind, e.Period = "change_digest", day
	e.Subject = fmt.Sprintf("amends: %d changes for %s on %s", len(changes), organisation, day)
	return e, err
}

// burstMail is one instant subscriber's email about a burst of changes to
// one postmortem, in order, keyed by the burst. Its subject names the
// postmortem as the customer reads it, from the latest change.
func burstMail(base string, to *models.User, signer *notify.Signer, organisation string, changes []models.CustomerChange, key string) (notify.Email, error) {
	title := changes[len(changes)-1].PostmortemTitle
	e, err := renderChanges(base, to, signer, mailData{Organisation: organisation, Postmortem: title}, changes)
	e.Kind, e.Period = "change", key
	n := "1 change"
	if len(changes) > 1 {
		n = fmt.Sprintf("%d changes", len(changes))
	}
	e.Subject = fmt.Sprintf("amends: %s to %q", n, title)
	if r := []rune(e.Subject); len(r) > 200 {
		e.Subject = string(r[:199]) + "…"
	}
	return e, err
}

func renderChanges(base string, to *models.User, signer *notify.Signer, d mailData, changes []models.CustomerChange) (notify.Email, error) {
	unsubscribe := base + "/notifications/unsubscribe?token=" + signer.Token(to.Email)
	d.Name, d.Manage, d.Unsubscribe = to.Name, base+"/portal/subscriptions", unsubscribe
	for _, c := range changes {
		d.Changes = append(d.Changes, mailChange{Describe(c), PortalLink(base, c)})
	}
	var text bytes.Buffer
	if err := changesText.Execute(&text, d); err != nil {
		return notify.Email{}, fmt.Errorf("render change email to %s: %w", to.Email, err)
	}
	return notify.Email{To: to.Email, Text: text.String(), Headers: notify.Headers{
		"List-Unsubscribe": "<" + unsubscribe + ">", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}}, nil
}
