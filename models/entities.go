package models

import (
	"math"
	"time"

	"gorm.io/gorm"
)

// Customer is an organisation that postmortems can be shared with.
type Customer struct {
	ID        uint      `gorm:"primaryKey"`
	Name      string    `gorm:"size:200;not null"`
	Slug      string    `gorm:"size:100;not null;uniqueIndex"`
	TimeZone  string    `gorm:"size:64;not null"`
	Contacts  []string  `gorm:"serializer:json;type:text;not null"`
	CreatedAt time.Time `gorm:"not null"`
	UpdatedAt time.Time `gorm:"not null"`
}

// SLO is a service level objective of a customer.
type SLO struct {
	ID              uint   `gorm:"primaryKey"`
	CustomerID      uint   `gorm:"not null;uniqueIndex:idx_slos_customer_name"`
	Name            string `gorm:"size:200;not null;uniqueIndex:idx_slos_customer_name"`
	DisplayName     string `gorm:"size:200;not null"`
	Description     string `gorm:"type:text;not null"`
	Target          float64
	WindowDays      int
	BudgetingMethod string `gorm:"size:40;not null"`
	// A calendar-aligned SLO (OpenSLO timeWindow.calendar) measures its
	// budget over calendar periods of CalendarDuration ("1M", "1w")
	// counted from CalendarStart in CalendarTimeZone; empty is rolling
	// over WindowDays.
	CalendarDuration string `gorm:"size:10;not null;default:''"`
	CalendarStart    string `gorm:"size:40;not null;default:''"`
	CalendarTimeZone string `gorm:"size:64;not null;default:''"`
	// The SLI, as OpenSLO's ratioMetric: PromQL selectors of counters for
	// good and total events, or bad and total events; "{{ .Customer }}"
	// stands for the customer's slug. No total query: no SLI.
	SLIGoodQuery  string    `gorm:"column:sli_good_query;type:text;not null;default:''"`
	SLIBadQuery   string    `gorm:"column:sli_bad_query;type:text;not null;default:''"`
	SLITotalQuery string    `gorm:"column:sli_total_query;type:text;not null;default:''"`
	CreatedAt     time.Time `gorm:"not null"`
	UpdatedAt     time.Time `gorm:"not null"`
}

// BudgetMinutes is the error budget of a rolling window of WindowDays in
// minutes, to a thousandth of a minute so that no float noise
// (43.20000000000004) reaches an answer. reports.BudgetAt measures the
// budget over the SLO's actual window.
func (s SLO) BudgetMinutes() float64 {
	return math.Round((1-s.Target)*float64(s.WindowDays)*1440*1000) / 1000
}

// Postmortem follows the SRE Book template, with customer-facing fields kept
// apart from the internal ones.
type Postmortem struct {
	ID              uint       `gorm:"primaryKey"`
	Title           string     `gorm:"size:300;not null"`
	Severity        string     `gorm:"size:10;not null"`
	Status          string     `gorm:"size:20;not null;index"`
	Visibility      string     `gorm:"size:20;not null"`
	StartedAt       *time.Time `gorm:"index"`
	DetectedAt      *time.Time
	ResolvedAt      *time.Time
	PublishedAt     *time.Time
	Summary         string `gorm:"type:text;not null"`
	Impact          string `gorm:"type:text;not null"`
	RootCauses      string `gorm:"type:text;not null"`
	Trigger         string `gorm:"type:text;not null"`
	Resolution      string `gorm:"type:text;not null"`
	Detection       string `gorm:"type:text;not null"`
	WentWell        string `gorm:"type:text;not null"`
	WentWrong       string `gorm:"type:text;not null"`
	GotLucky        string `gorm:"type:text;not null"`
	Timeline        string `gorm:"type:text;not null"`
	SupportingLinks string `gorm:"type:text;not null"`

	ExternalSummary   string `gorm:"type:text;not null"`
	ExternalImpact    string `gorm:"type:text;not null"`
	ExternalCause     string `gorm:"type:text;not null"`
	ExternalNextSteps string `gorm:"type:text;not null"`

	OwnerID   *uint
	Owner     *User      `gorm:"foreignKey:OwnerID"`
	Customers []Customer `gorm:"many2many:postmortem_customers"`
	CreatedAt time.Time  `gorm:"not null"`
	// UpdatedAt is set by the store from its clock, which the demo and tests move.
	UpdatedAt time.Time      `gorm:"not null;autoUpdateTime:false"`
	DeletedAt gorm.DeletedAt `gorm:"index"`
}

// PostmortemCustomer links a postmortem to a customer it names.
type PostmortemCustomer struct {
	PostmortemID uint `gorm:"primaryKey"`
	CustomerID   uint `gorm:"primaryKey;index"`
}

// Impact is what a postmortem's incident cost against one customer SLO.
type Impact struct {
	ID           uint    `gorm:"primaryKey"`
	PostmortemID uint    `gorm:"not null;uniqueIndex:idx_impacts_pm_slo"`
	SLOID        uint    `gorm:"column:slo_id;not null;uniqueIndex:idx_impacts_pm_slo"`
	SLO          SLO     `gorm:"foreignKey:SLOID"`
	BadMinutes   float64 `gorm:"not null"`
	// Source says where BadMinutes came from: typed by staff ("recorded")
	// or adopted from the SLI ("measured"), then with the bad and total
	// events measured over the incident (Timeslices count minutes only).
	Source      string    `gorm:"size:20;not null;default:'recorded'"`
	BadEvents   float64   `gorm:"not null;default:0"`
	TotalEvents float64   `gorm:"not null;default:0"`
	CreatedAt   time.Time `gorm:"not null"`
}

// ActionItem is a follow-up of a postmortem, owned by the provider or by one
// customer.
type ActionItem struct {
	ID              uint   `gorm:"primaryKey"`
	PostmortemID    uint   `gorm:"not null"`
	Title           string `gorm:"size:300;not null"`
	Description     string `gorm:"type:text;not null"`
	Owner           string `gorm:"size:20;not null"`
	CustomerID      *uint
	Assignee        string `gorm:"size:200;not null"`
	Type            string `gorm:"size:20;not null"`
	Priority        string `gorm:"size:4;not null"`
	Status          string `gorm:"size:20;not null"`
	DueDate         *Date  `gorm:"type:varchar(10)"`
	CustomerVisible bool   `gorm:"not null"`
	GitHubURL       string `gorm:"column:github_url;size:500;not null"`
	GitHubState     string `gorm:"column:github_state;size:20;not null"`
	// The linked issue as last seen on GitHub (see sync/ghsync). GitHubRepo is
	// "owner/name" in lower case, as GitHub compares names.
	GitHubRepo        string     `gorm:"column:github_repo;size:200;not null;default:''"`
	GitHubNumber      int        `gorm:"column:github_number;not null;default:0"`
	GitHubStateReason string     `gorm:"column:github_state_reason;size:20;not null;default:''"`
	GitHubTitle       string     `gorm:"column:github_title;size:300;not null;default:''"`
	GitHubAssignees   string     `gorm:"column:github_assignees;size:500;not null;default:''"`
	GitHubGone        string     `gorm:"column:github_gone;size:20;not null;default:''"`
	GitHubMovedTo     string     `gorm:"column:github_moved_to;size:300;not null;default:''"`
	GitHubSyncedAt    *time.Time `gorm:"column:github_synced_at"`
	GitHubUpdatedAt   *time.Time `gorm:"column:github_updated_at"`
	ClosedAt          *time.Time
	CreatedByID       *uint
	CreatedAt         time.Time `gorm:"not null"`
	UpdatedAt         time.Time `gorm:"not null;autoUpdateTime:false"`
	// StatusChangedHereAt is when the status was last changed in amends
	// rather than by the GitHub sync, read in the sync's transaction
	// (ApplyGitHub) for its conflict rule; never stored.
	StatusChangedHereAt *time.Time `gorm:"-" json:"-"`
	// ArchivedAt is set while the item is archived (items_archive.go):
	// GORM leaves archived rows out of every query that does not ask
	// for them (Unscoped), and the policy hides them from customers.
	ArchivedAt gorm.DeletedAt `gorm:"column:archived_at"`
}

// IsOpen reports whether the item still needs work.
func (a ActionItem) IsOpen() bool { return !IsClosedStatus(a.Status) }

// IsOverdue reports whether an open item is past its due date on day today.
func (a ActionItem) IsOverdue(today Date) bool {
	return a.IsOpen() && a.DueDate != nil && a.DueDate.Before(today)
}

// Comment is a note on an action item. Customer users always see their own
// organisation's comments; staff comments are internal unless marked
// customer-visible.
type Comment struct {
	ID              uint      `gorm:"primaryKey"`
	ActionItemID    uint      `gorm:"not null;index"`
	AuthorID        uint      `gorm:"not null"`
	Author          User      `gorm:"foreignKey:AuthorID"`
	Body            string    `gorm:"type:text;not null"`
	CustomerVisible bool      `gorm:"not null"`
	CreatedAt       time.Time `gorm:"not null"`
	// ArchivedAt is set while the comment is archived: left out of every
	// list, restorable by an admin.
	ArchivedAt gorm.DeletedAt `gorm:"column:archived_at"`
}

// User is a person who signs in: staff (admin, sre, viewer) or a customer
// user tied to one customer.
type User struct {
	ID            uint   `gorm:"primaryKey"`
	Email         string `gorm:"size:254;not null;uniqueIndex"`
	Name          string `gorm:"size:200;not null"`
	Role          string `gorm:"size:20;not null"`
	CustomerID    *uint  `gorm:"index"`
	CustomerAdmin bool   `gorm:"not null"`
	PasswordHash  string `gorm:"size:200;not null"`
	TimeZone      string `gorm:"size:64;not null"`
	// DisabledAt ends every way in: sign-in, sessions, tokens, feed.
	DisabledAt *time.Time
	// OIDCIssuer and OIDCSubject name the person at the identity provider
	// a staff user signs in through; nil for password users.
	OIDCIssuer  *string `gorm:"column:oidc_issuer;size:500"`
	OIDCSubject *string `gorm:"column:oidc_subject;size:255"`
	// LastSignInAt is when the user last signed in (a password, an
	// invitation or the identity provider); nil: never.
	LastSignInAt *time.Time
	CreatedAt    time.Time `gorm:"not null"`
	UpdatedAt    time.Time `gorm:"not null"`
}

// IsCustomer reports whether the user belongs to a customer organisation.
func (u *User) IsCustomer() bool { return u != nil && u.Role == RoleCustomer }

// APIToken is a bearer token; only its SHA-256 is stored.
type APIToken struct {
	ID         uint   `gorm:"primaryKey"`
	UserID     uint   `gorm:"not null;index"`
	User       User   `gorm:"foreignKey:UserID"`
	Name       string `gorm:"size:200;not null"`
	Hash       string `gorm:"size:64;not null;uniqueIndex"`
	LastUsedAt *time.Time
	RevokedAt  *time.Time
	// ExpiresAt is when the token stops working; nil never.
	ExpiresAt *time.Time
	CreatedAt time.Time `gorm:"not null"`
}

// AuditEvent records one change: who changed which field of what, when, from
// what to what. Events are written in the same transaction as the change.
type AuditEvent struct {
	ID           uint   `gorm:"primaryKey"`
	EntityType   string `gorm:"size:20;not null"`
	EntityID     uint   `gorm:"not null"`
	PostmortemID uint   `gorm:"not null"`
	ActorID      *uint
	Actor        string    `gorm:"size:254;not null"`
	Action       string    `gorm:"size:20;not null"`
	Field        string    `gorm:"size:60;not null"`
	OldValue     string    `gorm:"type:text;not null"`
	NewValue     string    `gorm:"type:text;not null"`
	Reason       string    `gorm:"type:text;not null"`
	CreatedAt    time.Time `gorm:"not null"`
	// Values are the customer-readable fields of an object at the moment
	// it became visible to a customer, on the event that opens that
	// customer's history of it (see customerTrail); never stored.
	Values map[string]string `gorm:"-"`
}

// Entity types of audit events.
const (
	EntityPostmortem = "postmortem"
	EntityActionItem = "action_item"
)
