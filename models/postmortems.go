package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// PostmortemInput creates a postmortem, PostmortemPatch changes one.
// A patch uses Opt so that absent and empty differ.
type PostmortemInput struct {
	Title             string     `json:"title"`
	Visibility        string     `json:"visibility"`
	CustomerIDs       []uint     `json:"customer_ids"`
	Severity          string     `json:"severity"`
	Status            string     `json:"status"`
	StartedAt         *time.Time `json:"started_at"`
	DetectedAt        *time.Time `json:"detected_at"`
	ResolvedAt        *time.Time `json:"resolved_at"`
	OwnerID           *uint      `json:"owner_id"`
	Summary           string     `json:"summary"`
	Impact            string     `json:"impact"`
	RootCauses        string     `json:"root_causes"`
	Trigger           string     `json:"trigger"`
	Resolution        string     `json:"resolution"`
	Detection         string     `json:"detection"`
	WentWell          string     `json:"went_well"`
	WentWrong         string     `json:"went_wrong"`
	GotLucky          string     `json:"got_lucky"`
	Timeline          string     `json:"timeline"`
	SupportingLinks   string     `json:"supporting_links"`
	ExternalSummary   string     `json:"external_summary"`
	ExternalImpact    string     `json:"external_impact"`
	ExternalCause     string     `json:"external_cause"`
	ExternalNextSteps string     `json:"external_next_steps"`
	// ShareOverrides let findings through the share gate when a joint
	// postmortem, which its customers read from the start, is created.
	ShareOverrides ShareOverrides `json:"share_overrides"`
}

type PostmortemPatch struct {
	Title             Opt[string]    `json:"title"`
	Visibility        Opt[string]    `json:"visibility"`
	CustomerIDs       Opt[[]uint]    `json:"customer_ids"`
	Severity          Opt[string]    `json:"severity"`
	Status            Opt[string]    `json:"status"`
	StartedAt         Opt[time.Time] `json:"started_at"`
	DetectedAt        Opt[time.Time] `json:"detected_at"`
	ResolvedAt        Opt[time.Time] `json:"resolved_at"`
	OwnerID           Opt[uint]      `json:"owner_id"`
	Summary           Opt[string]    `json:"summary"`
	Impact            Opt[string]    `json:"impact"`
	RootCauses        Opt[string]    `json:"root_causes"`
	Trigger           Opt[string]    `json:"trigger"`
	Resolution        Opt[string]    `json:"resolution"`
	Detection         Opt[string]    `json:"detection"`
	WentWell          Opt[string]    `json:"went_well"`
	WentWrong         Opt[string]    `json:"went_wrong"`
	GotLucky          Opt[string]    `json:"got_lucky"`
	Timeline          Opt[string]    `json:"timeline"`
	SupportingLinks   Opt[string]    `json:"supporting_links"`
	ExternalSummary   Opt[string]    `json:"external_summary"`
	ExternalImpact    Opt[string]    `json:"external_impact"`
	ExternalCause     Opt[string]    `json:"external_cause"`
	ExternalNextSteps Opt[string]    `json:"external_next_steps"`
	// ShareOverrides let findings through the share gate (sharegate.go).
	ShareOverrides ShareOverrides `json:"share_overrides"`
}

// maxText bounds every Markdown field.
const maxText = 100_000

// textFields names every long Markdown field with its address.
func (p *Postmortem) textFields() map[string]*string {
	return map[string]*string{
		"summary": &p.Summary, "impact": &p.Impact, "root_causes": &p.RootCauses, "trigger": &p.Trigger,
		"resolution": &p.Resolution, "detection": &p.Detection, "went_well": &p.WentWell,
		"went_wrong": &p.WentWrong, "got_lucky": &p.GotLucky, "timeline": &p.Timeline,
		"supporting_links": &p.SupportingLinks, "external_summary": &p.ExternalSummary,
		"external_impact": &p.ExternalImpact, "external_cause": &p.ExternalCause,
		"external_next_steps": &p.ExternalNextSteps,
	}
}

func (p *PostmortemPatch) textFields() map[string]Opt[string] {
	return map[string]Opt[string]{
		"summary": p.Summary, "impact": p.Impact, "root_causes": p.RootCauses, "trigger": p.Trigger,
		"resolution": p.Resolution, "detection": p.Detection, "went_well": p.WentWell,
		"went_wrong": p.WentWrong, "got_lucky": p.GotLucky, "timeline": p.Timeline,
		"supporting_links": p.SupportingLinks, "external_summary": p.ExternalSummary,
		"external_impact": p.ExternalImpact, "external_cause": p.ExternalCause,
		"external_next_steps": p.ExternalNextSteps,
	}
}

// auditFields is the postmortem as the audit trail compares it.
func (p *Postmortem) auditFields() map[string]string {
	m := map[string]string{
		"title": p.Title, "visibility": p.Visibility, "severity": p.Severity, "status": p.Status,
		"started_at": fmtTime(p.StartedAt), "detected_at": fmtTime(p.DetectedAt),
		"resolved_at": fmtTime(p.ResolvedAt), "published_at": fmtTime(p.PublishedAt),
		"owner_id": fmtID(p.OwnerID), "customer_ids": fmtIDs(p.Customers),
	}
	for k, v := range p.textFields() {
		m[k] = *v
	}
	return m
}

func (p *Postmortem) validate() fieldErrors {
	f := fieldErrors{}
	f.required("title", p.Title, 300)
	f.oneOf("visibility", p.Visibility, Visibilities)
	f.oneOf("severity", p.Severity, Severities)
	f.oneOf("status", p.Status, PMStatuses)
	for name, v := range p.textFields() {
		f.maxLen(name, *v, maxText)
	}
	if (p.Visibility == VisibilityShared || p.Visibility == VisibilityJoint) && len(p.Customers) == 0 {
		f.add("customer_ids", "a "+p.Visibility+" postmortem must name at least one customer")
	}
	if p.StartedAt != nil {
		if p.DetectedAt != nil && p.DetectedAt.Before(*p.StartedAt) {
			f.add("detected_at", "must not be before started_at")
		}
		if p.ResolvedAt != nil && p.ResolvedAt.Before(*p.StartedAt) {
			f.add("resolved_at", "must not be before started_at")
		}
	}
	return f
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC().Truncate(time.Microsecond)
	return &u
}

// loadCustomers resolves customer ids, naming unknown ones.
func loadCustomers(tx *gorm.DB, ids []uint, f fieldErrors) []Customer {
	if len(ids) == 0 {
		return nil
	}
	var cs []Customer
	if err := tx.Where("id IN ?", ids).Find(&cs).Error; err != nil {
		f.add("customer_ids", "could not be checked")
		return nil
	}
	found := map[uint]bool{}
	for _, c := range cs {
		found[c.ID] = true
	}
	for _, id := range ids {
		if !found[id] {
			f.add("customer_ids", fmt.Sprintf("unknown customer %d", id))
		}
	}
	return cs
}

func checkOwner(tx *gorm.DB, id *uint, f fieldErrors) {
	if id == nil {
		return
	}
	var u User
	if err := tx.First(&u, *id).Error; err != nil || u.IsCustomer() {
		f.add("owner_id", fmt.Sprintf("unknown staff user %d", *id))
	}
}

// CreatePostmortem adds a postmortem, with its audit event.
func (s *Store) CreatePostmortem(ctx context.Context, actor *User, in PostmortemInput) (*Postmortem, error) {
	pm := Postmortem{
		Title: strings.TrimSpace(in.Title), Visibility: in.Visibility, Severity: in.Severity, Status: in.Status,
		StartedAt: utcPtr(in.StartedAt), DetectedAt: utcPtr(in.DetectedAt), ResolvedAt: utcPtr(in.ResolvedAt),
		OwnerID: in.OwnerID, Summary: in.Summary, Impact: in.Impact, RootCauses: in.RootCauses, Trigger: in.Trigger,
		Resolution: in.Resolution, Detection: in.Detection, WentWell: in.WentWell, WentWrong: in.WentWrong,
		GotLucky: in.GotLucky, Timeline: in.Timeline, SupportingLinks: in.SupportingLinks,
		ExternalSummary: in.ExternalSummary, ExternalImpact: in.ExternalImpact, ExternalCause: in.ExternalCause,
		ExternalNextSteps: in.ExternalNextSteps,
	}
	if pm.Visibility == "" {
		pm.Visibility = VisibilityInternal
	}
	if pm.Status == "" {
		pm.Status = PMDraft
	}
	if pm.OwnerID == nil && actor != nil {
		pm.OwnerID = &actor.ID
	}
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		f := fieldErrors{}
		pm.Customers = loadCustomers(tx, in.CustomerIDs, f)
		checkOwner(tx, in.OwnerID, f)
		f.incidentTimes(s.Now(), map[string]*time.Time{"started_at": pm.StartedAt, "detected_at": pm.DetectedAt, "resolved_at": pm.ResolvedAt})
		for k, v := range pm.validate() {
			f.add(k, v)
		}
		if pm.Status == PMPublished {
			f.add("status", "publish with POST /api/v1/postmortems/:id/publish, which runs the share-safety check")
		}
		if err := f.err(); err != nil {
			return err
		}
		now := s.Now()
		pm.CreatedAt, pm.UpdatedAt = now, now
		write := func() error {
			if err := tx.Omit("Customers.*").Create(&pm).Error; err != nil {
				return fmt.Errorf("create postmortem: %w", err)
			}
			return newAudit(tx, actor, now).record(EntityPostmortem, pm.ID, pm.ID, ActionCreated, nil, "")
		}
		if pm.Visibility != VisibilityJoint {
			return write()
		}
		return s.guardShare(tx, shareWrite{actor: actor, entity: EntityPostmortem, newPostmortem: true,
			entityID: func() uint { return pm.ID }, overrides: in.ShareOverrides}, write)
	})
	if err != nil {
		return nil, err
	}
	return &pm, nil
}

// GetPostmortem loads a postmortem the actor can see, with its customers.
func (s *Store) GetPostmortem(ctx context.Context, actor *User, id uint) (*Postmortem, error) {
	return s.getPostmortem(s.db.R.WithContext(ctx), actor, id)
}

func (s *Store) getPostmortem(q *gorm.DB, actor *User, id uint) (*Postmortem, error) {
	var pm Postmortem
	if err := q.Preload("Customers", func(db *gorm.DB) *gorm.DB { return db.Order("name") }).First(&pm, id).Error; err != nil {
		return nil, notFound(err, "postmortem", id)
	}
	if !actor.CanSeePostmortem(&pm) {
		return nil, fmt.Errorf("postmortem %d: %w", id, ErrNotFound)
	}
	return &pm, nil
}
