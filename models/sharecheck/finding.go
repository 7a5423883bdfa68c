package sharecheck

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Kind names what a finding is. The values are part of the API (JSON, UI).
type Kind string

// The kinds of finding Check reports.
const (
	KindPersonName        Kind = "person_name"
	KindEmail             Kind = "email"
	KindIPAddress         Kind = "ip_address"
	KindInternalHost      Kind = "internal_host"
	KindCapacity          Kind = "capacity"
	KindVendor            Kind = "vendor"
	KindInternalReference Kind = "internal_reference"
)

// rank orders kinds from most to least specific; it breaks ties between
// overlapping matches of the same length. Detectors that follow a fixed
// syntax (an email, a URL, an address) outrank the heuristic ones.
var rank = map[Kind]int{
	KindEmail:             0,
	KindInternalReference: 1,
	KindIPAddress:         2,
	KindInternalHost:      3,
	KindVendor:            4,
	KindPersonName:        5,
	KindCapacity:          6,
	KindCustomerName:      7,
}

// Field is one customer-facing text, such as "external_cause" or
// "action_items[42].title".
type Field struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

// Document is everything a customer would read, plus the context needed to
// recognise people in it.
type Document struct {
	// Fields are checked and reported in this order.
	Fields []Field `json:"fields"`
	// KnownNames are the people amends knows: full names ("Dana Whitfield")
	// or email addresses.
	KnownNames []string `json:"known_names"`
	// InternalTimeline is the internal timeline in Markdown; the responders
	// it names are looked for in the fields.
	InternalTimeline string `json:"internal_timeline"`
	// InternalText is the rest of the internal write-up (summary, root
	// causes, what went wrong, …) in Markdown; the people it names, as a
	// full name, a given name in context, a credit or an @handle, are
	// looked for in the fields too.
	InternalText string `json:"internal_text"`
}

// Finding is one piece of text that should not reach a customer.
type Finding struct {
	Field string `json:"field"`
	Kind  Kind   `json:"kind"`
	Match string `json:"match"`
	// Start and End are byte offsets of Match in the field's text.
	Start int `json:"start"`
	End   int `json:"end"`
	// Line and Column are 1-based; Column counts characters, not bytes.
	Line       int    `json:"line"`
	Column     int    `json:"column"`
	Message    string `json:"message"`
	Suggestion string `json:"suggestion,omitempty"`
}

// span is a detector's raw result, before positions and messages.
type span struct {
	start, end int
	kind       Kind
	suggestion string
}

func newFinding(field Field, s span) Finding {
	match := field.Text[s.start:s.end]
	line, col := position(field.Text, s.start)
	return Finding{
		Field:      field.Name,
		Kind:       s.kind,
		Match:      match,
		Start:      s.start,
		End:        s.end,
		Line:       line,
		Column:     col,
		Message:    message(s.kind, match),
		Suggestion: s.suggestion,
	}
}

func position(text string, off int) (line, col int) {
	before := text[:off]
	lineStart := strings.LastIndexByte(before, '\n') + 1
	return strings.Count(before, "\n") + 1, utf8.RuneCountInString(before[lineStart:]) + 1
}

// message explains, in the words of the guideline, why the match matters.
func message(k Kind, match string) string {
	switch k {
	case KindPersonName:
		return fmt.Sprintf("%q looks like a person's name; a customer postmortem is blameless and names roles, not people.", match)
	case KindEmail:
		return fmt.Sprintf("%q is an email address; point customers to a support channel instead.", match)
	case KindIPAddress:
		return fmt.Sprintf("%q is an IP address, a detail an attacker could use.", match)
	case KindInternalHost:
		return fmt.Sprintf("%q looks like an internal host name, a detail an attacker could use.", match)
	case KindCapacity:
		return fmt.Sprintf("%q is a capacity figure; it tells an attacker how much load would overwhelm the service.", match)
	case KindVendor:
		return fmt.Sprintf("%q is presented as the cause; keep vendors out of the blame, they will read this too.", match)
	case KindCustomerName:
		return fmt.Sprintf("%q is a customer's name; a public postmortem never says who was hit.", match)
	default:
		return fmt.Sprintf("%q refers to an internal ticket, document or link that customers cannot open.", match)
	}
}
