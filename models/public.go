package models

import (
	"context"
	"fmt"
	"strings"
)

// PublicSetting is the setting key of the public page (/status).
const PublicSetting = "public"

// PublicSettings are the public page's: off until an admin turns it on,
// with its title and the name the organisation goes by in public.
type PublicSettings struct {
	Enabled          bool   `json:"enabled"`
	Title            string `json:"title"`
	OrganisationName string `json:"organisation_name"`
	// Description is one or two sentences at the top of the page and in
	// its link previews; empty says what the page is in general words.
	Description string `json:"description"`
}

// DefaultPublicTitle is the page's title until an admin names it.
const DefaultPublicTitle = "Incident history"

// LoadPublicSettings loads the settings, or the defaults: off.
func (s *Store) LoadPublicSettings(ctx context.Context) (PublicSettings, error) {
	st := PublicSettings{Title: DefaultPublicTitle}
	if _, err := s.LoadSetting(ctx, PublicSetting, &st); err != nil {
		return st, err
	}
	if strings.TrimSpace(st.Title) == "" {
		st.Title = DefaultPublicTitle
	}
	return st, nil
}

// SavePublicSettings stores the settings once every field is valid. What
// it holds is read by anyone, so it names none of our people and no
// customer.
func (s *Store) SavePublicSettings(ctx context.Context, actor *User, st PublicSettings) (PublicSettings, error) {
	if !actor.Can(PermAdmin) {
		return st, fmt.Errorf("public page settings: %w", ErrForbidden)
	}
	st.Title = strings.TrimSpace(st.Title)
	st.OrganisationName = strings.TrimSpace(st.OrganisationName)
	st.Description = strings.TrimSpace(st.Description)
	f := fieldErrors{}
	f.required("title", st.Title, 120)
	f.line("organisation_name", st.OrganisationName, 80)
	if st.Enabled {
		f.nonEmpty("organisation_name", st.OrganisationName)
	}
	f.line("description", st.Description, 300)
	if len(f) == 0 {
		if err := s.checkPublicSettings(ctx, st, f); err != nil {
			return st, err
		}
	}
	if err := f.err(); err != nil {
		return st, err
	}
	return st, s.SaveSetting(ctx, actor, PublicSetting, st)
}

// checkPublicSettings refuses a person of ours or a customer named in
// what the page shows everyone.
func (s *Store) checkPublicSettings(ctx context.Context, st PublicSettings, f fieldErrors) error {
	staff, err := s.StaffMatcher(ctx)
	if err != nil {
		return err
	}
	var customers []string
	if err := s.db.R.WithContext(ctx).Model(&Customer{}).Pluck("name", &customers).Error; err != nil {
		return fmt.Errorf("names of customers: %w", err)
	}
	named := NewStaffMatcher(customers...)
	for _, fld := range []struct{ name, text string }{
		{"title", st.Title}, {"organisation_name", st.OrganisationName}, {"description", st.Description},
	} {
		switch {
		case staff.Names(fld.text):
			f.add(fld.name, "names one of our people: the public page is read by anyone")
		case named.Names(fld.text):
			f.add(fld.name, "names a customer: the public page never says who our customers are")
		}
	}
	return nil
}
