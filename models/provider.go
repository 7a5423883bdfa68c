package models

import (
	"context"
	"fmt"
	"strings"
)

// ProviderSetting is the setting key of how the provider is shown to
// customers.
const ProviderSetting = "provider"

// DefaultTeamName is how our people appear to customers until an admin
// names the team.
const DefaultTeamName = "Provider team"

// ProviderSettings is how the provider presents itself to customers: in
// every customer-facing document our people (assignees, whoever issued a
// review) appear as one team under TeamName, never by name or address.
type ProviderSettings struct {
	TeamName string `json:"team_name"`
}

// LoadProviderSettings loads the settings, or the defaults.
func (s *Store) LoadProviderSettings(ctx context.Context) (ProviderSettings, error) {
	st := ProviderSettings{TeamName: DefaultTeamName}
	if _, err := s.LoadSetting(ctx, ProviderSetting, &st); err != nil {
		return st, err
	}
	if strings.TrimSpace(st.TeamName) == "" {
		st.TeamName = DefaultTeamName
	}
	return st, nil
}

// SaveProviderSettings stores the settings once the team name is one line
// that names none of our people: it is shown to every customer.
func (s *Store) SaveProviderSettings(ctx context.Context, actor *User, st ProviderSettings) (ProviderSettings, error) {
	if !actor.Can(PermAdmin) {
		return st, fmt.Errorf("provider settings: %w", ErrForbidden)
	}
	st.TeamName = strings.TrimSpace(st.TeamName)
	f := fieldErrors{}
	f.required("team_name", st.TeamName, 80)
	if strings.ContainsAny(st.TeamName, "@\r\n") {
		f.add("team_name", "must be a team's name, not an email address or several lines")
	}
	if len(f) == 0 {
		staff, err := s.StaffMatcher(ctx)
		if err != nil {
			return st, err
		}
		if staff.Names(st.TeamName) {
			f.add("team_name", "names one of our people: customers must see a team, not a person")
		}
	}
	if err := f.err(); err != nil {
		return st, err
	}
	return st, s.SaveSetting(ctx, actor, ProviderSetting, st)
}

// StaffMatcher knows the email addresses and names of our people (every
// user who is not a customer user, disabled ones too), so that
// customer-facing documents can tell text that names one of them.
type StaffMatcher struct {
	needles []string // lower-cased
}

// StaffMatcher reads our people's addresses and names.
func (s *Store) StaffMatcher(ctx context.Context) (*StaffMatcher, error) {
	var users []User
	if err := s.db.R.WithContext(ctx).Select("email", "name").Where("role <> ?", RoleCustomer).Find(&users).Error; err != nil {
		return nil, fmt.Errorf("list staff names: %w", err)
	}
	m := &StaffMatcher{}
	for _, u := range users {
		m.add(u.Email)
		m.add(u.Name)
	}
	return m, nil
}

// NewStaffMatcher matches the given addresses and names, for callers that
// already hold them.
func NewStaffMatcher(identities ...string) *StaffMatcher {
	m := &StaffMatcher{}
	for _, s := range identities {
		m.add(s)
	}
	return m
}

// add keeps identities long enough to mean someone: a one- or two-letter
// name would match half of all text.
func (m *StaffMatcher) add(s string) {
	if s = strings.ToLower(strings.TrimSpace(s)); len(s) >= 3 {
		m.needles = append(m.needles, s)
	}
}

// Names says whether text holds one of our people's full addresses or
// full names (case-insensitively). A first name alone is not matched: it
// would misread the customer's own people as ours.
func (m *StaffMatcher) Names(text string) bool {
	if m == nil || text == "" {
		return false
	}
	text = strings.ToLower(text)
	for _, n := range m.needles {
		if containsWord(text, n) {
			return true
		}
	}
	return false
}

// containsWord says whether needle occurs in text not glued to letters or
// digits on either side, so "Ann Lee" does not match inside "Joann Leeds".
func containsWord(text, needle string) bool {
	for from := 0; ; {
		i := strings.Index(text[from:], needle)
		if i < 0 {
			return false
		}
		start, end := from+i, from+i+len(needle)
		if !wordByte(text, start-1) && !wordByte(text, end) {
			return true
		}
		from = start + 1
	}
}

func wordByte(s string, i int) bool {
	if i < 0 || i >= len(s) {
		return false
	}
	c := s[i]
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80
}
