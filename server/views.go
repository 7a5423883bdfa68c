package server

import (
	"strings"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/reports"
)

// Response types. Customer users get separate types that hold only
// customer-facing fields, so an internal field cannot leak by being
// forgotten: it is simply not there.

type customerView struct {
	ID        uint      `json:"id"`
	Name      string    `json:"name"`
	Slug      string    `json:"slug"`
	TimeZone  string    `json:"time_zone"`
	Contacts  []string  `json:"contacts"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func newCustomerView(c *models.Customer) customerView {
	contacts := c.Contacts
	if contacts == nil {
		contacts = []string{}
	}
	return customerView{c.ID, c.Name, c.Slug, c.TimeZone, contacts, c.CreatedAt, c.UpdatedAt}
}

type sloView struct {
	ID              uint    `json:"id"`
	CustomerID      uint    `json:"customer_id"`
	Name            string  `json:"name"`
	DisplayName     string  `json:"display_name"`
	Description     string  `json:"description"`
	Target          float64 `json:"target"`
	WindowDays      int     `json:"window_days"`
	BudgetingMethod string  `json:"budgeting_method"`
	// BudgetMinutes is the budget of a rolling window of window_days;
	// Budget, in lists, is the budget over the SLO's own window now.
	BudgetMinutes    float64         `json:"budget_minutes"`
	CalendarDuration string          `json:"calendar_duration,omitempty"`
	CalendarStart    string          `json:"calendar_start,omitempty"`
	CalendarTimeZone string          `json:"calendar_time_zone,omitempty"`
	Budget           *reports.Budget `json:"budget,omitempty"`
	// SLI is for staff only: the queries are internal.
	SLI *models.SLIInput `json:"sli,omitempty"`
}

// withSLI adds the SLO's SLI, for staff.
func (v sloView) withSLI(s *models.SLO) sloView {
	if s.HasSLI() {
		sli := s.SLI()
		v.SLI = &sli
	}
	return v
}

func newSLOView(s *models.SLO) sloView {
	return sloView{ID: s.ID, CustomerID: s.CustomerID, Name: s.Name, DisplayName: s.DisplayName, Description: s.Description,
		Target: s.Target, WindowDays: s.WindowDays, BudgetingMethod: s.BudgetingMethod, BudgetMinutes: s.BudgetMinutes(),
		CalendarDuration: s.CalendarDuration, CalendarStart: s.CalendarStart, CalendarTimeZone: s.CalendarTimeZone}
}

type customerRef struct {
	ID   uint   `json:"id"`
	Name string `json:"name"`
	Slug string `json:"slug"`
}

// postmortemView is the staff view: every field.
type postmortemView struct {
	ID                uint          `json:"id"`
	Title             string        `json:"title"`
	Severity          string        `json:"severity"`
	Status            string        `json:"status"`
	Visibility        string        `json:"visibility"`
	CustomerIDs       []uint        `json:"customer_ids"`
	Customers         []customerRef `json:"customers"`
	OwnerID           *uint         `json:"owner_id"`
	StartedAt         *time.Time    `json:"started_at"`
	DetectedAt        *time.Time    `json:"detected_at"`
	ResolvedAt        *time.Time    `json:"resolved_at"`
	PublishedAt       *time.Time    `json:"published_at"`
	Summary           string        `json:"summary"`
	Impact            string        `json:"impact"`
	RootCauses        string        `json:"root_causes"`
	Trigger           string        `json:"trigger"`
	Resolution        string        `json:"resolution"`
	Detection         string        `json:"detection"`
	WentWell          string        `json:"went_well"`
	WentWrong         string        `json:"went_wrong"`
	GotLucky          string        `json:"got_lucky"`
	Timeline          string        `json:"timeline"`
	SupportingLinks   string        `json:"supporting_links"`
	ExternalSummary   string        `json:"external_summary"`
	ExternalImpact    string        `json:"external_impact"`
	ExternalCause     string        `json:"external_cause"`
	ExternalNextSteps string        `json:"external_next_steps"`
	CreatedAt         time.Time     `json:"created_at"`
	UpdatedAt         time.Time     `json:"updated_at"`
}

func newPostmortemView(p *models.Postmortem) postmortemView {
	v := postmortemView{
		ID: p.ID, Title: p.Title, Severity: p.Severity, Status: p.Status, Visibility: p.Visibility,
		CustomerIDs: []uint{}, Customers: []customerRef{}, OwnerID: p.OwnerID,
		StartedAt: p.StartedAt, DetectedAt: p.DetectedAt, ResolvedAt: p.ResolvedAt, PublishedAt: p.PublishedAt,
		Summary: p.Summary, Impact: p.Impact, RootCauses: p.RootCauses, Trigger: p.Trigger,
		Resolution: p.Resolution, Detection: p.Detection, WentWell: p.WentWell, WentWrong: p.WentWrong,
		GotLucky: p.GotLucky, Timeline: p.Timeline, SupportingLinks: p.SupportingLinks,
		ExternalSummary: p.ExternalSummary, ExternalImpact: p.ExternalImpact, ExternalCause: p.ExternalCause,
		ExternalNextSteps: p.ExternalNextSteps, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
	}
	for _, c := range p.Customers {
		v.CustomerIDs = append(v.CustomerIDs, c.ID)
		v.Customers = append(v.Customers, customerRef{c.ID, c.Name, c.Slug})
	}
	return v
}

// customerPostmortemView is what a customer user sees: the customer-facing
// fields only, and no other customer's name.
type customerPostmortemView struct {
	ID                uint       `json:"id"`
	Title             string     `json:"title"`
	Severity          string     `json:"severity"`
	Status            string     `json:"status"`
	Visibility        string     `json:"visibility"`
	StartedAt         *time.Time `json:"started_at"`
	DetectedAt        *time.Time `json:"detected_at"`
	ResolvedAt        *time.Time `json:"resolved_at"`
	PublishedAt       *time.Time `json:"published_at"`
	ExternalSummary   string     `json:"external_summary"`
	ExternalImpact    string     `json:"external_impact"`
	ExternalCause     string     `json:"external_cause"`
	ExternalNextSteps string     `json:"external_next_steps"`
	UpdatedAt         time.Time  `json:"updated_at"`
}

func newCustomerPostmortemView(p *models.Postmortem) customerPostmortemView {
	return customerPostmortemView{
		ID: p.ID, Title: p.Title, Severity: p.Severity, Status: p.Status, Visibility: p.Visibility,
		StartedAt: p.StartedAt, DetectedAt: p.DetectedAt, ResolvedAt: p.ResolvedAt, PublishedAt: p.PublishedAt,
		ExternalSummary: p.ExternalSummary, ExternalImpact: p.ExternalImpact, ExternalCause: p.ExternalCause,
		ExternalNextSteps: p.ExternalNextSteps, UpdatedAt: p.UpdatedAt,
	}
}

func postmortemFor(u *models.User, p *models.Postmortem) any {
	if u.IsCustomer() {
		return newCustomerPostmortemView(p)
	}
	return newPostmortemView(p)
}

type itemView struct {
	ID              uint         `json:"id"`
	PostmortemID    uint         `json:"postmortem_id"`
	Title           string       `json:"title"`
	Description     string       `json:"description"`
	Owner           string       `json:"owner"`
	CustomerID      *uint        `json:"customer_id"`
	Assignee        string       `json:"assignee"`
	Type            string       `json:"type"`
	Priority        string       `json:"priority"`
	Status          string       `json:"status"`
	DueDate         *models.Date `json:"due_date"`
	Overdue         bool         `json:"overdue"`
	CustomerVisible bool         `json:"customer_visible"`
	GitHubURL       string       `json:"github_url"`
	GitHubState     string       `json:"github_state"`
	GitHub          *githubView  `json:"github"`
	ClosedAt        *time.Time   `json:"closed_at"`
	CreatedAt       time.Time    `json:"created_at"`
	UpdatedAt       time.Time    `json:"updated_at"`
}

// githubView is the linked issue as last seen on GitHub; staff only.
type githubView struct {
	Repo        string   `json:"repo"`
	Number      int      `json:"number"`
	State       string   `json:"state"`
	StateReason string   `json:"state_reason"`
	Title       string   `json:"title"`
	Assignees   []string `json:"assignees"`
	// Gone is "deleted" or "transferred" when the issue is no longer there.
	Gone      string     `json:"gone"`
	MovedTo   string     `json:"moved_to"`
	SyncedAt  *time.Time `json:"synced_at"`
	UpdatedAt *time.Time `json:"updated_at"`
}

func newGitHubView(a *models.ActionItem) *githubView {
	if a.GitHubRepo == "" {
		return nil
	}
	v := &githubView{Repo: a.GitHubRepo, Number: a.GitHubNumber, State: a.GitHubState, StateReason: a.GitHubStateReason,
		Title: a.GitHubTitle, Assignees: []string{}, Gone: a.GitHubGone, MovedTo: a.GitHubMovedTo,
		SyncedAt: a.GitHubSyncedAt, UpdatedAt: a.GitHubUpdatedAt}
	if a.GitHubAssignees != "" {
		v.Assignees = strings.Split(a.GitHubAssignees, ",")
	}
	return v
}

func newItemView(a *models.ActionItem, today models.Date) itemView {
	return itemView{
		ID: a.ID, PostmortemID: a.PostmortemID, Title: a.Title, Description: a.Description, Owner: a.Owner,
		CustomerID: a.CustomerID, Assignee: a.Assignee, Type: a.Type, Priority: a.Priority, Status: a.Status,
		DueDate: a.DueDate, Overdue: a.IsOverdue(today), CustomerVisible: a.CustomerVisible,
		GitHubURL: a.GitHubURL, GitHubState: a.GitHubState, GitHub: newGitHubView(a), ClosedAt: a.ClosedAt,
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt,
	}
}

// customerItemView is an item as a customer sees it: the provider's
// assignees and GitHub links stay internal; only whether the issue is
// closed is shown.
type customerItemView struct {
	ID           uint         `json:"id"`
	PostmortemID uint         `json:"postmortem_id"`
	Title        string       `json:"title"`
	Description  string       `json:"description"`
	Owner        string       `json:"owner"`
	Assignee     string       `json:"assignee,omitempty"`
	Type         string       `json:"type"`
	Priority     string       `json:"priority"`
	Status       string       `json:"status"`
	DueDate      *models.Date `json:"due_date"`
	Overdue      bool         `json:"overdue"`
	IssueClosed  *bool        `json:"issue_closed"`
	ClosedAt     *time.Time   `json:"closed_at"`
	UpdatedAt    time.Time    `json:"updated_at"`
}

func newCustomerItemView(a *models.ActionItem, today models.Date) customerItemView {
	v := customerItemView{
		ID: a.ID, PostmortemID: a.PostmortemID, Title: a.Title, Description: a.Description, Owner: a.Owner,
		Type: a.Type, Priority: a.Priority, Status: a.Status, DueDate: a.DueDate, Overdue: a.IsOverdue(today),
		ClosedAt: a.ClosedAt, UpdatedAt: a.UpdatedAt,
	}
	if a.Owner == models.OwnerCustomer {
		v.Assignee = a.Assignee
	}
	if a.GitHubURL != "" {
		closed := a.GitHubState == "closed"
		v.IssueClosed = &closed
	}
	return v
}

func itemFor(u *models.User, a *models.ActionItem, today models.Date) any {
	if u.IsCustomer() {
		return newCustomerItemView(a, today)
	}
	return newItemView(a, today)
}

type impactView struct {
	ID           uint    `json:"id"`
	PostmortemID uint    `json:"postmortem_id"`
	SLOID        uint    `json:"slo_id"`
	SLOName      string  `json:"slo_name"`
	BadMinutes   float64 `json:"bad_minutes"`
	BudgetShare  float64 `json:"budget_share"`
	// Source is "recorded" (typed) or "measured" (adopted from the SLI).
	Source string `json:"source"`
}

func newImpactView(i *models.Impact) impactView {
	share := 0.0
	if b := i.SLO.BudgetMinutes(); b > 0 {
		share = reports.Round(i.BadMinutes/b, 6)
	}
	return impactView{i.ID, i.PostmortemID, i.SLOID, i.SLO.Name, i.BadMinutes, share, i.Source}
}

type commentView struct {
	ID              uint      `json:"id"`
	ActionItemID    uint      `json:"action_item_id"`
	Author          string    `json:"author"`
	Body            string    `json:"body"`
	CustomerVisible bool      `json:"customer_visible"`
	CreatedAt       time.Time `json:"created_at"`
}

// newCommentView names the author; to a customer, provider staff appear
// as the provider, never by name.
func newCommentView(viewer *models.User, c *models.Comment) commentView {
	author := c.Author.Name
	if viewer.IsCustomer() && !c.Author.IsCustomer() {
		author = "provider"
	}
	return commentView{c.ID, c.ActionItemID, author, c.Body, c.CustomerVisible, c.CreatedAt}
}

type eventView struct {
	ID         uint   `json:"id"`
	EntityType string `json:"entity_type"`
	EntityID   uint   `json:"entity_id"`
	Actor      string `json:"actor"`
	Action     string `json:"action"`
	Field      string `json:"field,omitempty"`
	OldValue   string `json:"old_value,omitempty"`
	NewValue   string `json:"new_value,omitempty"`
	Reason     string `json:"reason,omitempty"`
	// Values open a customer's history of an object: what they could read
	// of it when it was created or shared with them.
	Values map[string]string `json:"values,omitempty"`
	At     time.Time         `json:"at"`
}

func newEventView(e *models.AuditEvent) eventView {
	return eventView{e.ID, e.EntityType, e.EntityID, e.Actor, e.Action, e.Field, e.OldValue, e.NewValue, e.Reason, e.Values, e.CreatedAt}
}

// list is the envelope of every list; Next is the URL of the next page,
// absent on the last one.
type list[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
	Next       string `json:"next,omitempty"`
}

func mapSlice[A, B any](in []A, f func(*A) B) []B {
	out := make([]B, len(in))
	for i := range in {
		out[i] = f(&in[i])
	}
	return out
}
