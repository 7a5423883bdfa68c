package database

import (
	"time"

	"gorm.io/gorm"
)

// Frozen structs of migration 1. Never change them; add a new migration.

type m1Customer struct {
	ID        uint      `gorm:"primaryKey"`
	Name      string    `gorm:"size:200;not null"`
	Slug      string    `gorm:"size:100;not null;uniqueIndex:idx_customers_slug"`
	TimeZone  string    `gorm:"size:64;not null"`
	Contacts  string    `gorm:"type:text;not null"`
	CreatedAt time.Time `gorm:"not null"`
	UpdatedAt time.Time `gorm:"not null"`
}

func (m1Customer) TableName() string { return "customers" }

type m1SLO struct {
	ID              uint       `gorm:"primaryKey"`
	CustomerID      uint       `gorm:"not null;uniqueIndex:idx_slos_customer_name"`
	Customer        m1Customer `gorm:"constraint:OnDelete:CASCADE"`
	Name            string     `gorm:"size:200;not null;uniqueIndex:idx_slos_customer_name"`
	DisplayName     string     `gorm:"size:200;not null"`
	Description     string     `gorm:"type:text;not null"`
	Target          float64    `gorm:"not null"`
	WindowDays      int        `gorm:"not null"`
	BudgetingMethod string     `gorm:"size:40;not null"`
	CreatedAt       time.Time  `gorm:"not null"`
	UpdatedAt       time.Time  `gorm:"not null"`
}

func (m1SLO) TableName() string { return "slos" }

type m1User struct {
	ID            uint        `gorm:"primaryKey"`
	Email         string      `gorm:"size:254;not null;uniqueIndex:idx_users_email"`
	Name          string      `gorm:"size:200;not null"`
	Role          string      `gorm:"size:20;not null"`
	CustomerID    *uint       `gorm:"index:idx_users_customer"`
	Customer      *m1Customer `gorm:"constraint:OnDelete:RESTRICT"`
	CustomerAdmin bool        `gorm:"not null"`
	PasswordHash  string      `gorm:"size:200;not null"`
	TimeZone      string      `gorm:"size:64;not null"`
	CreatedAt     time.Time   `gorm:"not null"`
	UpdatedAt     time.Time   `gorm:"not null"`
}

func (m1User) TableName() string { return "users" }

type m1APIToken struct {
	ID         uint   `gorm:"primaryKey"`
	UserID     uint   `gorm:"not null;index:idx_api_tokens_user"`
	User       m1User `gorm:"constraint:OnDelete:CASCADE"`
	Name       string `gorm:"size:200;not null"`
	Hash       string `gorm:"size:64;not null;uniqueIndex:idx_api_tokens_hash"`
	LastUsedAt *time.Time
	RevokedAt  *time.Time
	CreatedAt  time.Time `gorm:"not null"`
}

func (m1APIToken) TableName() string { return "api_tokens" }

type m1Postmortem struct {
	ID                uint       `gorm:"primaryKey"`
	Title             string     `gorm:"size:300;not null"`
	Severity          string     `gorm:"size:10;not null"`
	Status            string     `gorm:"size:20;not null;index:idx_postmortems_status"`
	Visibility        string     `gorm:"size:20;not null"`
	StartedAt         *time.Time `gorm:"index:idx_postmortems_started_at"`
	DetectedAt        *time.Time
	ResolvedAt        *time.Time
	PublishedAt       *time.Time
	Summary           string     `gorm:"type:text;not null"`
	Impact            string     `gorm:"type:text;not null"`
	RootCauses        string     `gorm:"type:text;not null"`
	Trigger           string     `gorm:"type:text;not null"`
	Resolution        string     `gorm:"type:text;not null"`
	Detection         string     `gorm:"type:text;not null"`
	WentWell          string     `gorm:"type:text;not null"`
	WentWrong         string     `gorm:"type:text;not null"`
	GotLucky          string     `gorm:"type:text;not null"`
	Timeline          string     `gorm:"type:text;not null"`
	SupportingLinks   string     `gorm:"type:text;not null"`
	ExternalSummary   string     `gorm:"type:text;not null"`
	ExternalImpact    string     `gorm:"type:text;not null"`
	ExternalCause     string     `gorm:"type:text;not null"`
	ExternalNextSteps string     `gorm:"type:text;not null"`
	OwnerID           *uint      `gorm:"index:idx_postmortems_owner"`
	Owner             *m1User    `gorm:"constraint:OnDelete:SET NULL"`
	CreatedAt         time.Time  `gorm:"not null"`
	UpdatedAt         time.Time  `gorm:"not null"`
	DeletedAt         *time.Time `gorm:"index:idx_postmortems_deleted_at"`
}

func (m1Postmortem) TableName() string { return "postmortems" }

type m1PostmortemCustomer struct {
	PostmortemID uint         `gorm:"primaryKey"`
	Postmortem   m1Postmortem `gorm:"constraint:OnDelete:CASCADE"`
	CustomerID   uint         `gorm:"primaryKey;index:idx_postmortem_customers_customer"`
	Customer     m1Customer   `gorm:"constraint:OnDelete:RESTRICT"`
}

func (m1PostmortemCustomer) TableName() string { return "postmortem_customers" }

type m1Impact struct {
	ID           uint         `gorm:"primaryKey"`
	PostmortemID uint         `gorm:"not null;uniqueIndex:idx_impacts_pm_slo"`
	Postmortem   m1Postmortem `gorm:"constraint:OnDelete:CASCADE"`
	SLOID        uint         `gorm:"column:slo_id;not null;uniqueIndex:idx_impacts_pm_slo;index:idx_impacts_slo"`
	SLO          m1SLO        `gorm:"foreignKey:SLOID;constraint:OnDelete:CASCADE"`
	BadMinutes   float64      `gorm:"not null"`
	CreatedAt    time.Time    `gorm:"not null"`
}

func (m1Impact) TableName() string { return "impacts" }

type m1ActionItem struct {
	ID              uint         `gorm:"primaryKey"`
	PostmortemID    uint         `gorm:"not null;index:idx_items_pm_status,priority:1"`
	Postmortem      m1Postmortem `gorm:"constraint:OnDelete:RESTRICT"`
	Title           string       `gorm:"size:300;not null"`
	Description     string       `gorm:"type:text;not null"`
	Owner           string       `gorm:"size:20;not null"`
	CustomerID      *uint        `gorm:"index:idx_items_customer_status,priority:1"`
	Customer        *m1Customer  `gorm:"constraint:OnDelete:RESTRICT"`
	Assignee        string       `gorm:"size:200;not null;index:idx_items_assignee_status,priority:1"`
	Type            string       `gorm:"size:20;not null"`
	Priority        string       `gorm:"size:4;not null;index:idx_items_status_priority,priority:2"`
	Status          string       `gorm:"size:20;not null;index:idx_items_pm_status,priority:2;index:idx_items_customer_status,priority:2;index:idx_items_assignee_status,priority:2;index:idx_items_status_priority,priority:1;index:idx_items_status_due,priority:1"`
	DueDate         *string      `gorm:"type:varchar(10);index:idx_items_status_due,priority:2"`
	CustomerVisible bool         `gorm:"not null"`
	GitHubURL       string       `gorm:"column:github_url;size:500;not null"`
	GitHubState     string       `gorm:"column:github_state;size:20;not null"`
	ClosedAt        *time.Time
	CreatedByID     *uint
	CreatedBy       *m1User   `gorm:"constraint:OnDelete:SET NULL"`
	CreatedAt       time.Time `gorm:"not null"`
	UpdatedAt       time.Time `gorm:"not null"`
}

func (m1ActionItem) TableName() string { return "action_items" }

type m1Comment struct {
	ID              uint         `gorm:"primaryKey"`
	ActionItemID    uint         `gorm:"not null;index:idx_comments_item"`
	ActionItem      m1ActionItem `gorm:"constraint:OnDelete:CASCADE"`
	AuthorID        uint         `gorm:"not null"`
	Author          m1User       `gorm:"constraint:OnDelete:RESTRICT"`
	Body            string       `gorm:"type:text;not null"`
	CustomerVisible bool         `gorm:"not null"`
	CreatedAt       time.Time    `gorm:"not null"`
}

func (m1Comment) TableName() string { return "comments" }

type m1AuditEvent struct {
	ID           uint   `gorm:"primaryKey"`
	EntityType   string `gorm:"size:20;not null;index:idx_audit_entity,priority:1"`
	EntityID     uint   `gorm:"not null;index:idx_audit_entity,priority:2"`
	PostmortemID uint   `gorm:"not null;index:idx_audit_pm"`
	ActorID      *uint
	Actor        string    `gorm:"size:254;not null"`
	Action       string    `gorm:"size:20;not null"`
	Field        string    `gorm:"size:60;not null;index:idx_audit_field_time,priority:1"`
	OldValue     string    `gorm:"type:text;not null"`
	NewValue     string    `gorm:"type:text;not null"`
	Reason       string    `gorm:"type:text;not null"`
	CreatedAt    time.Time `gorm:"not null;index:idx_audit_field_time,priority:2"`
}

func (m1AuditEvent) TableName() string { return "audit_events" }

func migrateInitial(tx *gorm.DB) error {
	return tx.Migrator().CreateTable(
		&m1Customer{}, &m1SLO{}, &m1User{}, &m1APIToken{}, &m1Postmortem{},
		&m1PostmortemCustomer{}, &m1Impact{}, &m1ActionItem{}, &m1Comment{}, &m1AuditEvent{},
	)
}
