package models

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"
)

// What the public page reads. Each query selects the few columns the
// public views need, narrowed in SQL to the candidates an index finds
// (public and published); whether the public may read each one is then
// decided by the policy in Go (OpenToThePublic, PublicPromise), never by
// the SQL.

// PublicLink names a public postmortem.
type PublicLink struct {
	ID          uint
	Title       string
	PublishedAt *time.Time
}

// PublicPromise is an item as the public reads it: what we said we would
// do, and how it stands.
type PublicPromise struct {
	ID          uint
	Title       string
	Description string
	Status      string
	ClosedAt    *time.Time
	// FollowedUpBy are the later public postmortems that came back to it.
	FollowedUpBy []PublicLink
}

// Kept says whether the promise was kept: done, not dropped.
func (p PublicPromise) Kept() bool { return p.Status == StatusDone }

// PublicFollowUp is an earlier public promise a postmortem comes back to.
type PublicFollowUp struct {
	Promise PublicPromise
	Of      PublicLink
}

// PublicSummary is a public postmortem in the list.
type PublicSummary struct {
	PublicLink
	StartedAt  *time.Time
	ResolvedAt *time.Time
	// Made counts the promises, Kept those done and Open those still to
	// do (dropped ones are neither).
	Made, Kept, Open int
}

// PublicPostmortem is a public postmortem as the public reads it. It has
// no field for anything else: no customer, assignee or internal text.
type PublicPostmortem struct {
	PublicSummary
	DetectedAt        *time.Time
	ExternalSummary   string
	ExternalImpact    string
	ExternalCause     string
	ExternalNextSteps string
	Promises          []PublicPromise
	FollowsUp         []PublicFollowUp
}

// publicPMColumns are the postmortem columns the public views and the
// policy read.
var publicPMColumns = []string{"id", "title", "visibility", "status", "started_at", "detected_at", "resolved_at", "published_at", "deleted_at"}

// publicItemColumns are the item columns the public views and the policy
// read.
var publicItemColumns = []string{"id", "postmortem_id", "title", "description", "owner", "customer_id", "customer_visible", "status", "closed_at"}

// publicCandidates narrows a postmortems query to what an index finds:
// public and published.
func publicCandidates(q *gorm.DB) *gorm.DB {
	return q.Model(&Postmortem{}).Where("visibility = ? AND status = ?", VisibilityPublic, PMPublished)
}

// PublicPage is a page of the public list, newest first.
type PublicPage struct {
	Items []PublicSummary
	// Before is the cursor of the next (older) page; 0 on the last.
	Before uint
}

// PublicPostmortems lists the public postmortems, newest publication
// first, limit at a time, before the one whose id is the cursor (0: from
// the newest).
func (s *Store) PublicPostmortems(ctx context.Context, before uint, limit int) (PublicPage, error) {
	q := s.db.R.WithContext(ctx)
	cand := publicCandidates(q).Select(publicPMColumns)
	if before != 0 {
		var from Postmortem
		if err := publicCandidates(q).Select(publicPMColumns).First(&from, before).Error; err != nil || !from.OpenToThePublic() {
			return PublicPage{}, &ValidationError{Fields: map[string]string{"before": "is not a page of this list"}}
		}
		cand = cand.Where("(published_at < ? OR (published_at = ? AND id < ?))", from.PublishedAt, from.PublishedAt, from.ID)
	}
	var pms []Postmortem
	if err := cand.Order("published_at DESC, id DESC").Limit(limit + 1).Find(&pms).Error; err != nil {
		return PublicPage{}, fmt.Errorf("public postmortems: %w", err)
	}
	var page PublicPage
	if len(pms) > limit {
		pms = pms[:limit]
		page.Before = pms[limit-1].ID
	}
	var ids []uint
	for _, pm := range pms {
		if pm.OpenToThePublic() {
			ids = append(ids, pm.ID)
			page.Items = append(page.Items, publicSummary(&pm))
		}
	}
	promises, err := publicPromises(q, ids)
	if err != nil {
		return PublicPage{}, err
	}
	for i := range page.Items {
		for _, p := range promises[page.Items[i].ID] {
			page.Items[i].count(p)
		}
	}
	return page, nil
}

// count adds a promise to the summary's counts.
func (s *PublicSummary) count(p PublicPromise) {
	s.Made++
	switch {
	case p.Kept():
		s.Kept++
	case !IsClosedStatus(p.Status):
		s.Open++
	}
}

func publicSummary(pm *Postmortem) PublicSummary {
	return PublicSummary{PublicLink: PublicLink{ID: pm.ID, Title: pm.Title, PublishedAt: pm.PublishedAt},
		StartedAt: pm.StartedAt, ResolvedAt: pm.ResolvedAt}
}

// publicPromises reads the promises of the postmortems, by postmortem, in
// id order.
func publicPromises(q *gorm.DB, pmIDs []uint) (map[uint][]PublicPromise, error) {
	out := map[uint][]PublicPromise{}
	if len(pmIDs) == 0 {
		return out, nil
	}
	var items []ActionItem
	if err := q.Select(publicItemColumns).Where("postmortem_id IN ?", pmIDs).Order("id").Find(&items).Error; err != nil {
		return nil, fmt.Errorf("promises of public postmortems: %w", err)
	}
	for _, it := range items {
		if it.PublicPromise() {
			out[it.PostmortemID] = append(out[it.PostmortemID], publicPromise(&it))
		}
	}
	return out, nil
}

func publicPromise(it *ActionItem) PublicPromise {
	return PublicPromise{ID: it.ID, Title: it.Title, Description: it.Description, Status: it.Status, ClosedAt: it.ClosedAt}
}

// PublicPostmortem reads one public postmortem; any other id, whatever it
// is, answers ErrNotFound.
func (s *Store) PublicPostmortem(ctx context.Context, id uint) (*PublicPostmortem, error) {
	q := s.db.R.WithContext(ctx)
	var pm Postmortem
	err := publicCandidates(q).Select(append(publicPMColumns, "external_summary", "external_impact", "external_cause",
		"external_next_steps")).First(&pm, id).Error
	if err != nil || !pm.OpenToThePublic() {
		return nil, notFound(orMissing(err), "postmortem", id)
	}
	out := &PublicPostmortem{PublicSummary: publicSummary(&pm), DetectedAt: pm.DetectedAt,
		ExternalSummary: pm.ExternalSummary, ExternalImpact: pm.ExternalImpact, ExternalCause: pm.ExternalCause,
		ExternalNextSteps: pm.ExternalNextSteps}
	promises, err := publicPromises(q, []uint{pm.ID})
	if err != nil {
		return nil, err
	}
	out.Promises = promises[pm.ID]
	for _, p := range out.Promises {
		out.count(p)
	}
	if err := s.publicFollowedUpBy(q, out.Promises); err != nil {
		return nil, err
	}
	if out.FollowsUp, err = s.publicFollowsUp(q, pm.ID); err != nil {
		return nil, err
	}
	return out, nil
}

// orMissing turns a found row the policy refuses into "not found", so
// both answer alike.
func orMissing(err error) error {
	if err == nil {
		return gorm.ErrRecordNotFound
	}
	return err
}

// publicLinks loads the public postmortems among ids, by id.
func publicLinks(q *gorm.DB, ids []uint) (map[uint]PublicLink, error) {
	out := map[uint]PublicLink{}
	if len(ids) == 0 {
		return out, nil
	}
	var pms []Postmortem
	if err := publicCandidates(q).Select(publicPMColumns).Where("id IN ?", ids).Find(&pms).Error; err != nil {
		return nil, fmt.Errorf("public postmortems %v: %w", ids, err)
	}
	for _, pm := range pms {
		if pm.OpenToThePublic() {
			out[pm.ID] = PublicLink{ID: pm.ID, Title: pm.Title, PublishedAt: pm.PublishedAt}
		}
	}
	return out, nil
}

// publicFollowedUpBy fills in, on each promise, the later public
// postmortems that followed up on it.
func (s *Store) publicFollowedUpBy(q *gorm.DB, promises []PublicPromise) error {
	if len(promises) == 0 {
		return nil
	}
	ids := make([]uint, len(promises))
	for i, p := range promises {
		ids[i] = p.ID
	}
	var links []FollowUp
	if err := q.Where("action_item_id IN ?", ids).Find(&links).Error; err != nil {
		return fmt.Errorf("follow-ups of promises: %w", err)
	}
	pmIDs := make([]uint, len(links))
	for i, l := range links {
		pmIDs[i] = l.PostmortemID
	}
	later, err := publicLinks(q, pmIDs)
	if err != nil {
		return err
	}
	for i := range promises {
		for _, l := range links {
			if pm, ok := later[l.PostmortemID]; ok && l.ActionItemID == promises[i].ID {
				promises[i].FollowedUpBy = append(promises[i].FollowedUpBy, pm)
			}
		}
		sort.Slice(promises[i].FollowedUpBy, func(a, b int) bool {
			return promises[i].FollowedUpBy[a].ID < promises[i].FollowedUpBy[b].ID
		})
	}
	return nil
}

// publicFollowsUp lists the earlier public promises a postmortem comes
// back to.
func (s *Store) publicFollowsUp(q *gorm.DB, pmID uint) ([]PublicFollowUp, error) {
	var links []FollowUp
	if err := q.Where("postmortem_id = ?", pmID).Order("action_item_id").Find(&links).Error; err != nil {
		return nil, fmt.Errorf("follow-ups of postmortem %d: %w", pmID, err)
	}
	if len(links) == 0 {
		return nil, nil
	}
	itemIDs := make([]uint, len(links))
	for i, l := range links {
		itemIDs[i] = l.ActionItemID
	}
	var items []ActionItem
	if err := q.Select(publicItemColumns).Where("id IN ?", itemIDs).Order("id").Find(&items).Error; err != nil {
		return nil, fmt.Errorf("items followed up by postmortem %d: %w", pmID, err)
	}
	pmIDs := make([]uint, len(items))
	for i, it := range items {
		pmIDs[i] = it.PostmortemID
	}
	earlier, err := publicLinks(q, pmIDs)
	if err != nil {
		return nil, err
	}
	var out []PublicFollowUp
	for _, it := range items {
		if of, ok := earlier[it.PostmortemID]; ok && it.PublicPromise() {
			out = append(out, PublicFollowUp{Promise: publicPromise(&it), Of: of})
		}
	}
	return out, nil
}

// PublicKept is a promise kept, for the public feed.
type PublicKept struct {
	Promise PublicPromise
	Of      PublicLink
}

// PublicFeed is what the public Atom feed shows: the newest public
// postmortems, limit of them, and the promises of theirs that were kept,
// newest first.
func (s *Store) PublicFeed(ctx context.Context, limit int) ([]PublicSummary, []PublicKept, error) {
	page, err := s.PublicPostmortems(ctx, 0, limit)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]uint, len(page.Items))
	byID := map[uint]PublicLink{}
	for i, p := range page.Items {
		ids[i] = p.ID
		byID[p.ID] = p.PublicLink
	}
	promises, err := publicPromises(s.db.R.WithContext(ctx), ids)
	if err != nil {
		return nil, nil, err
	}
	var kept []PublicKept
	for pmID, ps := range promises {
		for _, p := range ps {
			if p.Kept() && p.ClosedAt != nil {
				kept = append(kept, PublicKept{Promise: p, Of: byID[pmID]})
			}
		}
	}
	sort.Slice(kept, func(i, j int) bool {
		if !kept[i].Promise.ClosedAt.Equal(*kept[j].Promise.ClosedAt) {
			return kept[i].Promise.ClosedAt.After(*kept[j].Promise.ClosedAt)
		}
		return kept[i].Promise.ID > kept[j].Promise.ID
	})
	return page.Items, kept, nil
}
