package models

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"gorm.io/gorm"

	"github.com/amendsdev/amends/models/sharecheck"
)

// SettingShareCheck is the setting key of the share-safety configuration.
const SettingShareCheck = "share_check"

// ShareSettings is what an admin configures for the share-safety check.
type ShareSettings struct {
	InternalSuffixes []string `json:"internal_suffixes"`
	HostPatterns     []string `json:"host_patterns"`
	Vendors          []string `json:"vendors"`
	Allow            []string `json:"allow"`
	TicketPrefixes   []string `json:"ticket_prefixes"`
	// OwnNames are our own organisation's names, never blamed as a vendor.
	OwnNames []string `json:"own_names"`
}

// DefaultShareSettings are the settings before an admin saves any.
func DefaultShareSettings() ShareSettings {
	c := sharecheck.DefaultConfig()
	return ShareSettings{InternalSuffixes: c.InternalSuffixes, HostPatterns: c.HostPatterns, Vendors: c.Vendors,
		Allow: c.Allow, TicketPrefixes: c.TicketPrefixes, OwnNames: c.OwnNames}
}

func (st ShareSettings) config() sharecheck.Config {
	return sharecheck.Config{InternalSuffixes: st.InternalSuffixes, HostPatterns: st.HostPatterns,
		Vendors: st.Vendors, Allow: st.Allow, TicketPrefixes: st.TicketPrefixes, OwnNames: st.OwnNames}
}

// ShareCheckSettings loads the configuration, or the defaults.
func (s *Store) ShareCheckSettings(ctx context.Context) (ShareSettings, error) {
	st := DefaultShareSettings()
	_, err := s.LoadSetting(ctx, SettingShareCheck, &st)
	return st, err
}

// SaveShareCheckSettings stores the configuration after checking that every
// host pattern compiles.
func (s *Store) SaveShareCheckSettings(ctx context.Context, actor *User, st ShareSettings) error {
	if actor != nil && !actor.Can(PermAdmin) {
		return fmt.Errorf("share-check settings: %w", ErrForbidden)
	}
	if _, err := st.config().Compile(); err != nil {
		return &ValidationError{Fields: map[string]string{"host_patterns": err.Error()}}
	}
	return s.SaveSetting(ctx, actor, SettingShareCheck, st)
}

// ShareFinding is a finding with the key a lead names to override it.
type ShareFinding struct {
	sharecheck.Finding
	Key string `json:"key"`
}

// ShareReview is the verdict on a postmortem's customer-facing content.
type ShareReview struct {
	Findings     []ShareFinding
	Completeness sharecheck.CompletenessResult
	Timeliness   sharecheck.TimelinessResult
}

// ReviewShare checks a postmortem the actor can see. draft, when set, holds
// unsaved values of text fields (as the editor sends them while typing).
func (s *Store) ReviewShare(ctx context.Context, actor *User, id uint, draft map[string]string) (*ShareReview, error) {
	pm, err := s.GetPostmortem(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	fields := pm.textFields()
	for k, v := range draft {
		p, ok := fields[k]
		if !ok {
			return nil, &ValidationError{Fields: map[string]string{k: "is not a text field of a postmortem"}}
		}
		*p = v
	}
	q := s.db.R.WithContext(ctx)
	r, err := s.reviewShare(q, pm)
	if err != nil || pm.Visibility != VisibilityPublic {
		return r, err
	}
	// What only the public must not read: publishing refuses it too.
	more, err := s.unreviewedFindings(q, pm)
	if err != nil {
		return nil, err
	}
	for _, f := range more {
		if f.Kind == KindCustomerName {
			r.Findings = append(r.Findings, f)
		}
	}
	return r, nil
}

// shareChecker is the checker under the admin's settings, for the text of
// one postmortem.
func (s *Store) shareChecker(q *gorm.DB, pm *Postmortem) (*sharecheck.Checker, error) {
	settings := DefaultShareSettings()
	if _, err := s.LoadSetting(q.Statement.Context, SettingShareCheck, &settings); err != nil {
		return nil, err
	}
	// The customers' own names are never findings, even where a person
	// shares them.
	for _, c := range pm.Customers {
		settings.Allow = append(settings.Allow, c.Name)
	}
	checker, err := settings.config().Compile()
	if err != nil {
		return nil, fmt.Errorf("share-check settings: %w", err)
	}
	return checker, nil
}

func (s *Store) reviewShare(q *gorm.DB, pm *Postmortem) (*ShareReview, error) {
	checker, err := s.shareChecker(q, pm)
	if err != nil {
		return nil, err
	}
	var items []ActionItem
	if err := q.Where("postmortem_id = ? AND customer_visible = ?", pm.ID, true).Order("id").Find(&items).Error; err != nil {
		return nil, fmt.Errorf("items of postmortem %d: %w", pm.ID, err)
	}
	doc, err := shareDocument(q, pm, items)
	if err != nil {
		return nil, err
	}
	r := &ShareReview{Findings: []ShareFinding{}}
	for _, f := range checker.Check(doc) {
		r.Findings = append(r.Findings, ShareFinding{f, findingKey(f)})
	}
	r.Completeness = sharecheck.Completeness(sharecheck.CompletenessInput{
		ExternalSummary: pm.ExternalSummary, ExternalImpact: pm.ExternalImpact, ExternalCause: pm.ExternalCause,
		ExternalNextSteps: pm.ExternalNextSteps, StartedAt: pm.StartedAt, ResolvedAt: pm.ResolvedAt,
		CustomerVisibleActionItems: len(items), WhatWentWrong: pm.WentWrong, Lessons: pm.WentWell + "\n" + pm.GotLucky,
	})
	r.Timeliness = sharecheck.Timeliness(pm.ResolvedAt, pm.PublishedAt, s.Now())
	return r, nil
}

// findingKey names a finding stably across edits elsewhere in the text.
func findingKey(f sharecheck.Finding) string {
	return string(f.Kind) + ":" + f.Field + ":" + f.Match
}

// shareDocument gathers what customers would read, and the names the
// checker must look for: every user, every assignee of the postmortem, the
// contacts of its customers and whoever the internal fields name.
func shareDocument(q *gorm.DB, pm *Postmortem, items []ActionItem) (sharecheck.Document, error) {
	doc := sharecheck.Document{InternalTimeline: pm.Timeline, InternalText: strings.Join([]string{
		pm.Summary, pm.Impact, pm.RootCauses, pm.Trigger, pm.Resolution, pm.Detection,
		pm.WentWell, pm.WentWrong, pm.GotLucky, pm.SupportingLinks}, "\n\n")}
	for _, f := range []struct{ name, text string }{
		{"external_summary", pm.ExternalSummary}, {"external_impact", pm.ExternalImpact},
		{"external_cause", pm.ExternalCause}, {"external_next_steps", pm.ExternalNextSteps},
	} {
		doc.Fields = append(doc.Fields, sharecheck.Field{Name: f.name, Text: f.text})
	}
	names := map[string]bool{}
	for _, c := range pm.Customers {
		for _, e := range c.Contacts {
			names[e] = true
		}
	}
	for _, it := range items {
		prefix := fmt.Sprintf("action_items[%d].", it.ID)
		doc.Fields = append(doc.Fields, sharecheck.Field{Name: prefix + "title", Text: it.Title},
			sharecheck.Field{Name: prefix + "description", Text: it.Description})
		if it.Assignee != "" {
			names[it.Assignee] = true
		}
	}
	var users []string
	if err := q.Model(&User{}).Pluck("name", &users).Error; err != nil {
		return doc, fmt.Errorf("names of users: %w", err)
	}
	for _, n := range users {
		names[n] = true
	}
	for n := range names {
		doc.KnownNames = append(doc.KnownNames, n)
	}
	sort.Strings(doc.KnownNames)
	return doc, nil
}

// unresolved lists the findings not overridden; an override must name a
// finding that exists and give a reason.
func unresolved(findings []ShareFinding, overrides map[string]string) ([]ShareFinding, error) {
	known := map[string]bool{}
	for _, f := range findings {
		known[f.Key] = true
	}
	bad := fieldErrors{}
	for key, reason := range overrides {
		switch {
		case !known[key]:
			bad.add("overrides", fmt.Sprintf("%q is not a finding of this postmortem", key))
		case strings.TrimSpace(reason) == "":
			bad.add("overrides", fmt.Sprintf("overriding %q needs a written reason", key))
		}
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	var left []ShareFinding
	for _, f := range findings {
		if _, ok := overrides[f.Key]; !ok {
			left = append(left, f)
		}
	}
	return left, nil
}
