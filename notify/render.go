package notify

import (
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"github.com/amendsdev/amends/web"
)

// Renderer turns notes into emails with the templates in web/templates/mail,
// parsed once; a missing or broken template fails at start-up.
type Renderer struct {
	base   string // absolute base URL of links
	policy Policy
	signer *Signer
	// By audience (customer or not): each has its own link function, so
	// that a customer's email can only link to the portal.
	text map[bool]*texttemplate.Template
	html map[bool]*htmltemplate.Template
}

// NewRenderer parses the mail templates. base is AMENDS_BASE_URL.
func NewRenderer(base string, policy Policy, signer *Signer) (*Renderer, error) {
	r := &Renderer{base: strings.TrimRight(base, "/"), policy: policy, signer: signer}
	if r.base == "" {
		r.base = "http://localhost:8080"
	}
	r.text, r.html = map[bool]*texttemplate.Template{}, map[bool]*htmltemplate.Template{}
	for customer, link := range map[bool]func(MailItem) string{false: r.staffLink, true: r.portalLink} {
		var err error
		r.text[customer], err = texttemplate.New("reminder.txt").Funcs(texttemplate.FuncMap{"link": link, "label": web.Label}).
			ParseFS(web.Templates, "templates/mail/reminder.txt")
		if err != nil {
			return nil, fmt.Errorf("parse mail template: %w", err)
		}
		r.html[customer], err = htmltemplate.New("reminder.html").Funcs(htmltemplate.FuncMap{"link": link, "label": web.Label}).
			ParseFS(web.Templates, "templates/mail/reminder.html")
		if err != nil {
			return nil, fmt.Errorf("parse mail template: %w", err)
		}
	}
	return r, nil
}

func (r *Renderer) staffLink(it MailItem) string {
	return fmt.Sprintf("%s/items/%d", r.base, it.ID)
}

func (r *Renderer) portalLink(it MailItem) string {
	return fmt.Sprintf("%s/portal/items/%d", r.base, it.ID)
}

// mailData is what the reminder templates see.
type mailData struct {
	*Note
	Subject                        string
	HeadsUpDays, EscalateAfterDays int
	PrefsURL, UnsubscribeURL       string
	BaseURL                        string
}

// Render makes the email of a note, keyed by recipient, kind and day.
func (r *Renderer) Render(n *Note) (Email, error) {
	token := r.signer.Token(n.To)
	unsub := r.base + "/notifications/unsubscribe?token=" + token
	d := mailData{Note: n, Subject: subject(n), HeadsUpDays: r.policy.HeadsUpDays,
		EscalateAfterDays: r.policy.EscalateAfterDays, PrefsURL: r.base + "/settings/notifications", UnsubscribeURL: unsub,
		BaseURL: r.base}
	text, err := r.execText(d)
	if err != nil {
		return Email{}, err
	}
	html, err := r.execHTML(d)
	if err != nil {
		return Email{}, err
	}
	return Email{To: n.To, Kind: n.Kind(), Period: n.Date.String(), Subject: d.Subject, Text: text, HTML: html,
		Headers: Headers{"List-Unsubscribe": "<" + unsub + ">", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}}, nil
}

// execText and execHTML write into a strings.Builder, whose String does not
// copy: a digest can run to megabytes.
func (r *Renderer) execText(d mailData) (string, error) {
	var buf strings.Builder
	if err := r.text[d.Customer != nil].Execute(&buf, d); err != nil {
		return "", fmt.Errorf("render reminder text for %s: %w", d.To, err)
	}
	return buf.String(), nil
}

func (r *Renderer) execHTML(d mailData) (string, error) {
	var buf strings.Builder
	if err := r.html[d.Customer != nil].Execute(&buf, d); err != nil {
		return "", fmt.Errorf("render reminder html for %s: %w", d.To, err)
	}
	return buf.String(), nil
}

// subject leads with what needs action most.
func subject(n *Note) string {
	var parts []string
	if k := len(n.Overdue); k > 0 {
		parts = append(parts, plural(k, "overdue critical item"))
	}
	if k := len(n.Escalate); k > 0 {
		parts = append(parts, plural(k, "escalated item"))
	}
	if k := len(n.DueSoon); k > 0 {
		parts = append(parts, plural(k, "item")+" due soon")
	}
	if k := len(n.Late); k > 0 {
		parts = append(parts, plural(k, "postmortem")+" to publish")
	}
	if len(parts) == 0 {
		return "amends weekly digest: " + plural(len(n.Digest), "open action item")
	}
	return "amends: " + strings.Join(parts, ", ")
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
