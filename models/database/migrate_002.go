package database

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Frozen structs of migration 2. Never change them; add a new migration.

// m2ActionItem holds only the columns migration 2 adds to action_items.
// Every column has a default so that existing rows get a value.
type m2ActionItem struct {
	GitHubRepo        string     `gorm:"column:github_repo;size:200;not null;default:'';index:idx_items_github_issue,priority:1"`
	GitHubNumber      int        `gorm:"column:github_number;not null;default:0;index:idx_items_github_issue,priority:2"`
	GitHubStateReason string     `gorm:"column:github_state_reason;size:20;not null;default:''"`
	GitHubTitle       string     `gorm:"column:github_title;size:300;not null;default:''"`
	GitHubAssignees   string     `gorm:"column:github_assignees;size:500;not null;default:''"`
	GitHubGone        string     `gorm:"column:github_gone;size:20;not null;default:''"`
	GitHubMovedTo     string     `gorm:"column:github_moved_to;size:300;not null;default:''"`
	GitHubSyncedAt    *time.Time `gorm:"column:github_synced_at;index:idx_items_github_synced"`
	GitHubUpdatedAt   *time.Time `gorm:"column:github_updated_at"`
}

func (m2ActionItem) TableName() string { return "action_items" }

type m2GitHubRepo struct {
	ID            uint   `gorm:"primaryKey"`
	FullName      string `gorm:"size:200;not null;uniqueIndex:idx_github_repos_name"`
	Since         *time.Time
	LastAttemptAt *time.Time
	LastSuccessAt *time.Time
	LastError     string    `gorm:"type:text;not null"`
	UpdatedAt     time.Time `gorm:"not null"`
}

func (m2GitHubRepo) TableName() string { return "github_repos" }

type m2GitHubDelivery struct {
	ID          uint      `gorm:"primaryKey"`
	DeliveryID  string    `gorm:"size:100;not null;uniqueIndex:idx_github_deliveries_delivery"`
	Event       string    `gorm:"size:60;not null"`
	ReceivedAt  time.Time `gorm:"not null;index:idx_github_deliveries_received"`
	ProcessedAt *time.Time
}

func (m2GitHubDelivery) TableName() string { return "github_deliveries" }

type m2GitHubCreate struct {
	ID           uint      `gorm:"primaryKey"`
	ActionItemID uint      `gorm:"not null;uniqueIndex:idx_github_creates_item_repo,priority:1"`
	Repo         string    `gorm:"size:200;not null;uniqueIndex:idx_github_creates_item_repo,priority:2"`
	Marker       string    `gorm:"size:64;not null;uniqueIndex:idx_github_creates_marker"`
	IssueNumber  int       `gorm:"not null"`
	CreatedAt    time.Time `gorm:"not null"`
}

func (m2GitHubCreate) TableName() string { return "github_creates" }

var m2ItemColumns = []string{
	"GitHubRepo", "GitHubNumber", "GitHubStateReason", "GitHubTitle", "GitHubAssignees",
	"GitHubGone", "GitHubMovedTo", "GitHubSyncedAt", "GitHubUpdatedAt",
}

func migrateGitHubSync(tx *gorm.DB) error {
	m := tx.Migrator()
	for _, col := range m2ItemColumns {
		if err := m.AddColumn(&m2ActionItem{}, col); err != nil {
			return fmt.Errorf("add action_items.%s: %w", col, err)
		}
	}
	for _, idx := range []string{"idx_items_github_issue", "idx_items_github_synced"} {
		if err := m.CreateIndex(&m2ActionItem{}, idx); err != nil {
			return fmt.Errorf("create index %s: %w", idx, err)
		}
	}
	if err := m.CreateTable(&m2GitHubRepo{}, &m2GitHubDelivery{}, &m2GitHubCreate{}); err != nil {
		return fmt.Errorf("create GitHub sync tables: %w", err)
	}
	return nil
}
