package models

import (
	"context"
	"fmt"
	"sort"

	"gorm.io/gorm"
)

// CustomerAttention counts what needs attention for one customer: its
// provider items and its own, open, on postmortems naming it.
type CustomerAttention struct {
	CustomerID               uint
	Name, Slug               string
	Critical, CriticalTheirs int
	Overdue, OverdueCritical int
	DueThisWeek              int
	Drafts                   int
}

// Attention is the staff start page: what needs someone now.
type Attention struct {
	Customers   []CustomerAttention // most overdue critical first
	Critical    []ActionItem        // open P0/P1, oldest due first
	Overdue     []ActionItem
	DueThisWeek []ActionItem
	Drafts      []Postmortem    // draft or in review, oldest incident first
	Titles      map[uint]string // postmortem titles of the items above
}

// attentionLimit bounds each list on the page; the counts stay exact.
const attentionLimit = 50

// AttentionFor gathers the staff start page on day today: the lists and
// the counts by customer.
func (s *Store) AttentionFor(ctx context.Context, actor *User, today Date) (*Attention, error) {
	a, err := s.AttentionLists(ctx, actor, today)
	if err != nil {
		return nil, err
	}
	if a.Customers, err = s.AttentionCounts(ctx, today); err != nil {
		return nil, err
	}
	return a, nil
}

// AttentionLists gathers the start page's lists for staff on day today.
// Customers is left empty: AttentionCounts gives it, at a far higher cost.
func (s *Store) AttentionLists(ctx context.Context, actor *User, today Date) (*Attention, error) {
	a := &Attention{}
	week := today.AddDays(7)
	lists := []struct {
		dst *[]ActionItem
		f   ItemFilter
	}{
		{&a.Critical, ItemFilter{Status: OpenStatuses, Priority: []string{"P0", "P1"}}},
		{&a.Overdue, ItemFilter{Overdue: true}},
	}
	for _, l := range lists {
		var err error
		if *l.dst, _, err = s.ListItems(ctx, actor, l.f, Page{Limit: attentionLimit, Sort: "due_date"}); err != nil {
			return nil, err
		}
	}
	q, err := s.dueBetween(ctx, actor, today, week)
	if err != nil {
		return nil, err
	}
	if err := q.Order("action_items.due_date, action_items.id").Limit(attentionLimit).Find(&a.DueThisWeek).Error; err != nil {
		return nil, fmt.Errorf("items due this week: %w", err)
	}
	pmq := actor.scopePostmortems(s.db.R.WithContext(ctx).Model(&Postmortem{})).Preload("Customers").
		Where("status IN ?", []string{PMDraft, PMInReview}).Order("started_at, id").Limit(attentionLimit)
	if err := pmq.Find(&a.Drafts).Error; err != nil {
		return nil, fmt.Errorf("draft postmortems: %w", err)
	}
	a.Titles, err = s.PostmortemTitles(ctx, a.Critical, a.Overdue, a.DueThisWeek)
	return a, err
}

// dueBetween selects the open items the actor can see that are due from
// one day up to, not including, another.
func (s *Store) dueBetween(ctx context.Context, actor *User, from, until Date) (*gorm.DB, error) {
	q, err := s.itemQuery(ctx, actor, ItemFilter{Status: OpenStatuses})
	if err != nil {
		return nil, err
	}
	return q.Where(everyPriority).Where("action_items.due_date >= ? AND action_items.due_date < ?", from.String(), until.String()), nil
}

// attentionCountsSQL counts open items per customer: provider items on
// every postmortem naming the customer, and the customer's own. It first
// counts per postmortem, owner and customer from the covering index
// idx_items_open_pm (migrations 17 and 32), whose condition it states word for
// word so that the index can serve it, then adds those up per customer.
// Only items that count somewhere are read: critical, overdue or due soon.
const attentionCountsSQL = `
SELECT c.id AS customer_id, c.name, c.slug, t.critical, t.critical_theirs,
	t.overdue, t.overdue_critical, t.due_this_week
FROM (
	SELECT pc.customer_id,
		SUM(g.critical) AS critical,
		SUM(CASE WHEN g.owner = 'customer' THEN g.critical ELSE 0 END) AS critical_theirs,
		SUM(g.overdue) AS overdue,
		SUM(g.overdue_critical) AS overdue_critical,
		SUM(g.due_this_week) AS due_this_week
	FROM (
		SELECT postmortem_id, owner, customer_id,
			COUNT(*) FILTER (WHERE priority IN ('P0', 'P1')) AS critical,
			COUNT(*) FILTER (WHERE due_date < @today) AS overdue,
			COUNT(*) FILTER (WHERE due_date < @today AND priority IN ('P0', 'P1')) AS overdue_critical,
			COUNT(*) FILTER (WHERE due_date >= @today AND due_date < @week) AS due_this_week
		FROM action_items
		WHERE status IN ('open', 'in_progress', 'blocked') AND archived_at IS NULL
			AND (priority IN ('P0', 'P1') OR due_date < @week)
		GROUP BY postmortem_id, status, owner, customer_id
	) g
	JOIN postmortem_customers pc ON pc.postmortem_id = g.postmortem_id
		AND (g.owner = 'provider' OR g.customer_id = pc.customer_id)
	JOIN postmortems p ON p.id = g.postmortem_id AND p.deleted_at IS NULL
	GROUP BY pc.customer_id
) t
JOIN customers c ON c.id = t.customer_id`

// AttentionCounts counts, per customer, what needs attention on day today,
// most overdue critical first. It reads every open item, so requests that
// arrive while a count runs share the next one (sharedcount.go).
func (s *Store) AttentionCounts(ctx context.Context, today Date) ([]CustomerAttention, error) {
	return s.counts.do(ctx, today, s.countAttention)
}

// countAttention is one count of AttentionCounts.
func (s *Store) countAttention(ctx context.Context, today Date) ([]CustomerAttention, error) {
	var rows []CustomerAttention
	err := s.db.R.WithContext(ctx).Raw(attentionCountsSQL,
		map[string]any{"today": today.String(), "week": today.AddDays(7).String()}).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("attention by customer: %w", err)
	}
	var drafts []struct {
		CustomerID uint
		N          int
	}
	err = s.db.R.WithContext(ctx).Table("postmortem_customers pc").Select("pc.customer_id, COUNT(*) AS n").
		Joins("JOIN postmortems p ON p.id = pc.postmortem_id AND p.deleted_at IS NULL").
		Where("p.status IN ?", []string{PMDraft, PMInReview}).Group("pc.customer_id").Scan(&drafts).Error
	if err != nil {
		return nil, fmt.Errorf("drafts by customer: %w", err)
	}
	return mergeDrafts(ctx, s, rows, drafts)
}

func mergeDrafts(ctx context.Context, s *Store, rows []CustomerAttention, drafts []struct {
	CustomerID uint
	N          int
}) ([]CustomerAttention, error) {
	byID := map[uint]int{}
	for i, r := range rows {
		byID[r.CustomerID] = i
	}
	for _, d := range drafts {
		i, ok := byID[d.CustomerID]
		if !ok {
			var c Customer
			if err := s.db.R.WithContext(ctx).First(&c, d.CustomerID).Error; err != nil {
				return nil, fmt.Errorf("customer %d: %w", d.CustomerID, err)
			}
			rows = append(rows, CustomerAttention{CustomerID: c.ID, Name: c.Name, Slug: c.Slug})
			i = len(rows) - 1
		}
		rows[i].Drafts = d.N
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.OverdueCritical != b.OverdueCritical {
			return a.OverdueCritical > b.OverdueCritical
		}
		if a.Critical != b.Critical {
			return a.Critical > b.Critical
		}
		return a.Name < b.Name
	})
	return rows, nil
}

// PostmortemTitles names the postmortems of the given items.
func (s *Store) PostmortemTitles(ctx context.Context, lists ...[]ActionItem) (map[uint]string, error) {
	ids := map[uint]bool{}
	for _, l := range lists {
		for _, it := range l {
			ids[it.PostmortemID] = true
		}
	}
	out := map[uint]string{}
	if len(ids) == 0 {
		return out, nil
	}
	keys := make([]uint, 0, len(ids))
	for id := range ids {
		keys = append(keys, id)
	}
	var pms []Postmortem
	if err := s.db.R.WithContext(ctx).Select("id, title").Where("id IN ?", keys).Find(&pms).Error; err != nil {
		return nil, fmt.Errorf("postmortem titles: %w", err)
	}
	for _, p := range pms {
		out[p.ID] = p.Title
	}
	return out, nil
}
