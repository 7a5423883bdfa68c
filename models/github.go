package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ActorGitHub is the actor label of audit events the GitHub sync writes.
const ActorGitHub = "github"

// Values of ActionItem.GitHubGone.
const (
	GitHubDeleted     = "deleted"
	GitHubTransferred = "transferred"
)

// GitHubLinkInput is the body of POST /api/v1/action-items/:id/github.
type GitHubLinkInput struct {
	IssueURL string `json:"issue_url"`
	Create   bool   `json:"create"`
	Repo     string `json:"repo"`
}

// GitHubIssue is an issue as the sync saw it, to be recorded on an item.
type GitHubIssue struct {
	Repo        string // owner/name
	Number      int
	URL         string // web URL
	State       string
	StateReason string
	Title       string
	Assignees   []string
	UpdatedAt   time.Time
}

// SetGitHubIssue records what GitHub said about the item's issue.
func (a *ActionItem) SetGitHubIssue(is GitHubIssue) {
	a.GitHubRepo, a.GitHubNumber = strings.ToLower(is.Repo), is.Number
	if is.URL != "" {
		a.GitHubURL = is.URL
	}
	a.GitHubState, a.GitHubStateReason, a.GitHubTitle = is.State, is.StateReason, is.Title
	a.GitHubAssignees = strings.Join(is.Assignees, ",")
	a.GitHubGone, a.GitHubMovedTo = "", ""
	updated := is.UpdatedAt.UTC()
	a.GitHubUpdatedAt = &updated
}

// IsLinked reports whether the item names a GitHub issue.
func (a *ActionItem) IsLinked() bool { return a.GitHubRepo != "" && a.GitHubNumber > 0 }

// githubAuditFields are the GitHub fields whose changes go into history.
func (a *ActionItem) githubAuditFields() map[string]string {
	m := a.auditFields()
	m["github_state"] = strings.TrimSuffix(a.GitHubState+" "+a.GitHubStateReason, " ")
	m["github_title"] = a.GitHubTitle
	m["github_assignees"] = a.GitHubAssignees
	m["github_gone"] = strings.TrimSpace(a.GitHubGone + " " + a.GitHubMovedTo)
	return m
}

// ErrNoChange, returned by a GitHubChange, leaves the item untouched.
var ErrNoChange = errors.New("no change")

// GitHubChange changes an item in place and returns the reason to record.
type GitHubChange func(it *ActionItem) (reason string, err error)

// LinkableItem loads an item the actor may link to GitHub. Customers never
// link; to them the item does not exist.
func (s *Store) LinkableItem(ctx context.Context, actor *User, id uint) (*ActionItem, error) {
	if actor.IsCustomer() {
		return nil, fmt.Errorf("action item %d: %w", id, ErrNotFound)
	}
	it, err := s.GetItem(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !actor.Can(PermWriteItems) || !actor.CanEditItem(it) {
		return nil, s.refusal(actor, "action item", id)
	}
	return it, nil
}

// LinkItem links an item to an issue as the actor, with its audit events.
func (s *Store) LinkItem(ctx context.Context, actor *User, id uint, is GitHubIssue) (*ActionItem, error) {
	if _, err := s.LinkableItem(ctx, actor, id); err != nil {
		return nil, err
	}
	return s.changeItem(ctx, newAuditFor(actor), id, func(it *ActionItem) (string, error) {
		it.SetGitHubIssue(is)
		now := s.Now()
		it.GitHubSyncedAt = &now
		return "linked to GitHub issue " + is.URL, nil
	})
}

// UnlinkItem removes an item's GitHub link as the actor; the sync leaves
// the issue alone from then on.
func (s *Store) UnlinkItem(ctx context.Context, actor *User, id uint) (*ActionItem, error) {
	if _, err := s.LinkableItem(ctx, actor, id); err != nil {
		return nil, err
	}
	return s.changeItem(ctx, newAuditFor(actor), id, func(it *ActionItem) (string, error) {
		*it = unlinked(*it)
		return "unlinked from GitHub", nil
	})
}

func unlinked(it ActionItem) ActionItem {
	it.GitHubURL, it.GitHubState, it.GitHubRepo, it.GitHubNumber = "", "", "", 0
	it.GitHubStateReason, it.GitHubTitle, it.GitHubAssignees = "", "", ""
	it.GitHubGone, it.GitHubMovedTo, it.GitHubSyncedAt, it.GitHubUpdatedAt = "", "", nil, nil
	return it
}

// ApplyGitHub changes an item on behalf of the sync, as actor "github", in
// one transaction that holds the item (row-locked on PostgreSQL), so that a
// webhook and a poll applying the same issue run one after the other.
func (s *Store) ApplyGitHub(ctx context.Context, id uint, change GitHubChange) (*ActionItem, error) {
	return s.changeItem(ctx, func(tx *gorm.DB, at time.Time) *audit {
		a := newAudit(tx, nil, at)
		a.label = ActorGitHub
		return a
	}, id, change)
}

func newAuditFor(actor *User) func(tx *gorm.DB, at time.Time) *audit {
	return func(tx *gorm.DB, at time.Time) *audit { return newAudit(tx, actor, at) }
}

// changeItem saves the sync columns always and moves updated_at, with
// audit events, only when a recorded field changed: updated_at is how the
// sync tells a change made in amends from one it applied.
func (s *Store) changeItem(ctx context.Context, mkAudit func(*gorm.DB, time.Time) *audit, id uint, change GitHubChange) (*ActionItem, error) {
	var it ActionItem
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx
		if s.db.Postgres {
			q = tx.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		if err := q.First(&it, id).Error; err != nil {
			return notFound(err, "action item", id)
		}
		if err := loadStatusChangedHere(tx, &it); err != nil {
			return err
		}
		before := it.githubAuditFields()
		reason, err := change(&it)
		if err != nil {
			return err
		}
		it.setClosedAt(s)
		a := mkAudit(tx, s.Now())
		changes := diff(before, it.githubAuditFields())
		if len(changes) > 0 {
			it.UpdatedAt = a.at
			if it.GitHubSyncedAt != nil && it.GitHubSyncedAt.Before(a.at) {
				it.GitHubSyncedAt = &a.at
			}
		}
		if err := tx.Save(&it).Error; err != nil {
			return fmt.Errorf("save action item %d: %w", id, err)
		}
		if len(changes) == 0 {
			return nil
		}
		return a.record(EntityActionItem, it.ID, it.PostmortemID, ActionUpdated, changes, reason)
	})
	if err != nil {
		return nil, err
	}
	return &it, nil
}

// SyncItem loads an item for the sync, without an acting user.
func (s *Store) SyncItem(ctx context.Context, id uint) (*ActionItem, error) {
	var it ActionItem
	if err := s.db.R.WithContext(ctx).First(&it, id).Error; err != nil {
		return nil, notFound(err, "action item", id)
	}
	return &it, nil
}

// LinkedRepos lists every repository ("owner/name") with a linked item.
func (s *Store) LinkedRepos(ctx context.Context) ([]string, error) {
	var repos []string
	err := s.db.R.WithContext(ctx).Model(&ActionItem{}).Where("github_repo <> ''").
		Distinct("github_repo").Order("github_repo").Pluck("github_repo", &repos).Error
	if err != nil {
		return nil, fmt.Errorf("list linked repositories: %w", err)
	}
	return repos, nil
}

// ItemsForIssue lists the items linked to one issue.
// TracksIssue reports whether any action item is linked to the issue: the
// question every webhook delivery asks first, and most answer no.
func (s *Store) TracksIssue(ctx context.Context, repo string, number int) (bool, error) {
	var ids []uint
	err := s.db.R.WithContext(ctx).Model(&ActionItem{}).Where("github_repo = ? AND github_number = ?", strings.ToLower(repo), number).
		Limit(1).Pluck("id", &ids).Error
	if err != nil {
		return false, fmt.Errorf("is %s#%d linked: %w", repo, number, err)
	}
	return len(ids) > 0, nil
}

func (s *Store) ItemsForIssue(ctx context.Context, repo string, number int) ([]ActionItem, error) {
	var items []ActionItem
	err := s.db.R.WithContext(ctx).Where("github_repo = ? AND github_number = ?", strings.ToLower(repo), number).
		Order("id").Find(&items).Error
	if err != nil {
		return nil, fmt.Errorf("items for %s#%d: %w", repo, number, err)
	}
	return items, nil
}

// PendingPushes lists linked items whose status disagrees with their
// issue's last seen state: a change made here that GitHub has not had yet.
// The conditions mirror ghsync.InSync.
func (s *Store) PendingPushes(ctx context.Context, limit int) ([]ActionItem, error) {
	var items []ActionItem
	err := s.db.R.WithContext(ctx).Where("github_repo <> '' AND github_gone = '' AND github_state <> ''").
		Where(`(status IN ('done','wont_fix') AND github_state = 'open')
			OR (status NOT IN ('done','wont_fix') AND github_state = 'closed')
			OR (status = 'done' AND github_state = 'closed' AND github_state_reason IN ('not_planned','duplicate'))
			OR (status = 'wont_fix' AND github_state = 'closed' AND github_state_reason NOT IN ('not_planned','duplicate'))`).
		Order("id").Limit(limit).Find(&items).Error
	if err != nil {
		return nil, fmt.Errorf("list pending pushes: %w", err)
	}
	return items, nil
}

// StaleLinks lists linked items not synced since before, least recently
// synced first, for the sweep that finds deleted and transferred issues.
func (s *Store) StaleLinks(ctx context.Context, before time.Time, limit int) ([]ActionItem, error) {
	var items []ActionItem
	err := s.db.R.WithContext(ctx).Where("github_repo <> '' AND github_gone = ''").
		Where("github_synced_at IS NULL OR github_synced_at < ?", before.UTC()).
		Order("github_synced_at").Order("id").Limit(limit).Find(&items).Error
	if err != nil {
		return nil, fmt.Errorf("list stale GitHub links: %w", err)
	}
	return items, nil
}

// TouchGitHubSync records that items' issues were seen unchanged.
func (s *Store) TouchGitHubSync(ctx context.Context, ids []uint) error {
	if len(ids) == 0 {
		return nil
	}
	err := s.db.W.WithContext(ctx).Model(&ActionItem{}).Where("id IN ?", ids).
		UpdateColumn("github_synced_at", s.Now()).Error
	if err != nil {
		return fmt.Errorf("record GitHub sync time: %w", err)
	}
	return nil
}

// loadStatusChangedHere sets when the item's status was last changed by
// someone in amends: the last status event not written by the sync. The
// sync weighs only that against GitHub's time in a conflict, never
// updated_at, which also moves when amends records what GitHub said.
func loadStatusChangedHere(tx *gorm.DB, it *ActionItem) error {
	var ev AuditEvent
	err := tx.Select("created_at").Where("entity_type = ? AND entity_id = ? AND field = ? AND actor <> ?",
		EntityActionItem, it.ID, "status", ActorGitHub).Order("id DESC").Limit(1).Find(&ev).Error
	if err != nil {
		return fmt.Errorf("last status change of item %d: %w", it.ID, err)
	}
	it.StatusChangedHereAt = nil
	if !ev.CreatedAt.IsZero() {
		at := ev.CreatedAt
		it.StatusChangedHereAt = &at
	}
	return nil
}
