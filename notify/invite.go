package notify

import (
	"bytes"
	"fmt"
	"strings"
	texttemplate "text/template"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/web"
)

var invitationText = texttemplate.Must(texttemplate.ParseFS(web.Templates, "templates/mail/invitation.txt"))

// Invitation is the email that carries an invitation's one-time link. The
// key's period is the invitation's id, so a new invitation to the same
// address is a new email and a retried request is not.
func Invitation(baseURL, organisation, inviter string, inv *models.Invitation, token string) (Email, error) {
	base := strings.TrimRight(baseURL, "/")
	if base == "" {
		base = "http://localhost:8080"
	}
	d := struct {
		Inviter, Organisation, Link string
		Days                        int
	}{inviter, organisation, base + "/invite/" + token, int(models.InvitationTTL.Hours() / 24)}
	var text bytes.Buffer
	if err := invitationText.Execute(&text, d); err != nil {
		return Email{}, fmt.Errorf("render invitation to %s: %w", inv.Email, err)
	}
	return Email{To: inv.Email, Kind: "invitation", Period: fmt.Sprint(inv.ID),
		Subject: fmt.Sprintf("%s invites you to amends", organisation), Text: text.String()}, nil
}

var staffInvitationText = texttemplate.Must(texttemplate.ParseFS(web.Templates, "templates/mail/staff_invitation.txt"))

// StaffInvitation is the email that carries a staff invitation's one-time
// link. Its kind differs from a customer invitation's, so the two never
// share an idempotency key.
func StaffInvitation(baseURL, inviter string, inv *models.StaffInvitation, token string) (Email, error) {
	base := strings.TrimRight(baseURL, "/")
	if base == "" {
		base = "http://localhost:8080"
	}
	d := struct {
		Inviter, Role, Link string
		Days                int
	}{inviter, inv.Role, base + "/invite/" + token, int(models.InvitationTTL.Hours() / 24)}
	var text bytes.Buffer
	if err := staffInvitationText.Execute(&text, d); err != nil {
		return Email{}, fmt.Errorf("render staff invitation to %s: %w", inv.Email, err)
	}
	return Email{To: inv.Email, Kind: "staff-invitation", Period: fmt.Sprint(inv.ID),
		Subject: fmt.Sprintf("%s invites you to amends", inviter), Text: text.String()}, nil
}
