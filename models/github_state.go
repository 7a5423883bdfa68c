package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// GitHubRepo is the sync state of one repository.
type GitHubRepo struct {
	ID       uint   `gorm:"primaryKey"`
	FullName string `gorm:"size:200;not null;uniqueIndex:idx_github_repos_name"`
	// Since is the cursor of the next poll; nil polls everything.
	Since         *time.Time
	LastAttemptAt *time.Time
	LastSuccessAt *time.Time
	LastError     string    `gorm:"type:text;not null"`
	UpdatedAt     time.Time `gorm:"not null"`
}

// GitHubDelivery is a webhook delivery already taken in.
type GitHubDelivery struct {
	ID          uint      `gorm:"primaryKey"`
	DeliveryID  string    `gorm:"size:100;not null;uniqueIndex:idx_github_deliveries_delivery"`
	Event       string    `gorm:"size:60;not null"`
	ReceivedAt  time.Time `gorm:"not null"`
	ProcessedAt *time.Time
}

// GitHubCreate is written before an issue is created for an item, so that
// a retried create finds the first one (by Marker in its body) instead of
// making a second.
type GitHubCreate struct {
	ID           uint      `gorm:"primaryKey"`
	ActionItemID uint      `gorm:"not null;uniqueIndex:idx_github_creates_item_repo,priority:1"`
	Repo         string    `gorm:"size:200;not null;uniqueIndex:idx_github_creates_item_repo,priority:2"`
	Marker       string    `gorm:"size:64;not null;uniqueIndex:idx_github_creates_marker"`
	IssueNumber  int       `gorm:"not null"`
	CreatedAt    time.Time `gorm:"not null"`
}

// GitHubStatus is what GET /api/v1/github/status shows.
type GitHubStatus struct {
	Enabled           bool
	Message           string
	WebhookConfigured bool
	RateRemaining     *int
	RateReset         *time.Time
	Repos             []GitHubRepo
}

// GitHubRepoState returns the sync state of a repository, zero if none yet.
func (s *Store) GitHubRepoState(ctx context.Context, repo string) (GitHubRepo, error) {
	var r GitHubRepo
	err := s.db.R.WithContext(ctx).Where("full_name = ?", strings.ToLower(repo)).First(&r).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return r, fmt.Errorf("load sync state of %s: %w", repo, err)
	}
	r.FullName = strings.ToLower(repo)
	return r, nil
}

// GitHubRepoStates lists the sync state of every repository.
func (s *Store) GitHubRepoStates(ctx context.Context) ([]GitHubRepo, error) {
	var out []GitHubRepo
	if err := s.db.R.WithContext(ctx).Order("full_name").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list GitHub sync states: %w", err)
	}
	return out, nil
}

// RecordGitHubPass records one poll of a repository. A failed pass keeps
// the cursor and the last success, so nothing is lost and the next pass
// starts where this one did.
func (s *Store) RecordGitHubPass(ctx context.Context, repo string, since time.Time, passErr error) error {
	now := s.Now()
	r := GitHubRepo{FullName: strings.ToLower(repo), LastAttemptAt: &now, UpdatedAt: now}
	cols := []string{"last_attempt_at", "updated_at", "last_error"}
	if passErr != nil {
		r.LastError = passErr.Error()
	} else {
		r.LastSuccessAt = &now
		cols = append(cols, "last_success_at")
		if !since.IsZero() {
			utc := since.UTC()
			r.Since = &utc
			cols = append(cols, "since")
		}
	}
	err := s.db.W.WithContext(ctx).Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "full_name"}}, DoUpdates: clause.AssignmentColumns(cols),
	}).Create(&r).Error
	if err != nil {
		return fmt.Errorf("record sync pass of %s: %w", repo, err)
	}
	return nil
}

// RecordDelivery takes in a webhook delivery once: fresh is false when the
// same X-GitHub-Delivery was taken in before.
func (s *Store) RecordDelivery(ctx context.Context, deliveryID, event string) (fresh bool, err error) {
	d := GitHubDelivery{DeliveryID: deliveryID, Event: event, ReceivedAt: s.Now()}
	res := s.db.W.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&d)
	if res.Error != nil {
		return false, fmt.Errorf("record delivery %s: %w", deliveryID, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// MarkDeliveryProcessed records that a delivery was applied.
func (s *Store) MarkDeliveryProcessed(ctx context.Context, deliveryID string) error {
	err := s.db.W.WithContext(ctx).Model(&GitHubDelivery{}).Where("delivery_id = ?", deliveryID).
		Update("processed_at", s.Now()).Error
	if err != nil {
		return fmt.Errorf("mark delivery %s processed: %w", deliveryID, err)
	}
	return nil
}

// BeginGitHubCreate returns the create record of an item in a repository,
// writing a new one with a fresh marker the first time.
func (s *Store) BeginGitHubCreate(ctx context.Context, itemID uint, repo string) (*GitHubCreate, error) {
	var nonce [12]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return nil, fmt.Errorf("make create marker: %w", err)
	}
	c := GitHubCreate{ActionItemID: itemID, Repo: strings.ToLower(repo), Marker: hex.EncodeToString(nonce[:]), CreatedAt: s.Now()}
	db := s.db.W.WithContext(ctx)
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&c).Error; err != nil {
		return nil, fmt.Errorf("record create of item %d in %s: %w", itemID, repo, err)
	}
	var got GitHubCreate
	if err := db.Where("action_item_id = ? AND repo = ?", itemID, c.Repo).First(&got).Error; err != nil {
		return nil, fmt.Errorf("load create of item %d in %s: %w", itemID, repo, err)
	}
	return &got, nil
}

// FinishGitHubCreate records the number of the issue created.
func (s *Store) FinishGitHubCreate(ctx context.Context, id uint, number int) error {
	err := s.db.W.WithContext(ctx).Model(&GitHubCreate{}).Where("id = ?", id).Update("issue_number", number).Error
	if err != nil {
		return fmt.Errorf("record created issue %d: %w", number, err)
	}
	return nil
}

func (GitHubRepo) TableName() string     { return "github_repos" }
func (GitHubDelivery) TableName() string { return "github_deliveries" }
func (GitHubCreate) TableName() string   { return "github_creates" }

// PruneDeliveries forgets deliveries received before, long after GitHub
// could redeliver them.
func (s *Store) PruneDeliveries(ctx context.Context, before time.Time) error {
	if err := s.db.W.WithContext(ctx).Where("received_at < ?", before.UTC()).Delete(&GitHubDelivery{}).Error; err != nil {
		return fmt.Errorf("prune GitHub deliveries: %w", err)
	}
	return nil
}
