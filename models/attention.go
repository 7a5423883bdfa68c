package models

import (
	"context"
	"fmt"
	"sort"
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

// Attention gathers the start page for staff on day today.
func (s *Store) Attention(ctx context.Context, actor *User, today Date) (*Attention, error) {
	a := &Attention{}
	var err error
	if a.Customers, err = s.attentionByCustomer(ctx, today); err != nil {
		return nil, err
	}
	week := today.AddDays(7)
	lists := []struct {
		dst *[]ActionItem
		f   ItemFilter
	}{
		{&a.Critical, ItemFilter{Status: OpenStatuses, Priority: []string{"P0", "P1"}}},
		{&a.Overdue, ItemFilter{Overdue: true}},
	}
	for _, l := range lists {
		if *l.dst, _, err = s.ListItems(ctx, actor, l.f, Page{Limit: attentionLimit, Sort: "due_date"}); err != nil {
			return nil, err
		}
	}
	q, err := s.itemQuery(ctx, actor, ItemFilter{Status: OpenStatuses})
	if err != nil {
		return nil, err
	}
	if err := q.Where("action_items.due_date >= ? AND action_items.due_date < ?", today.String(), week.String()).
		Order("action_items.due_date, action_items.id").Limit(attentionLimit).Find(&a.DueThisWeek).Error; err != nil {
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

// attentionByCustomer counts, per customer, in one grouped query.
func (s *Store) attentionByCustomer(ctx context.Context, today Date) ([]CustomerAttention, error) {
	week := today.AddDays(7).String()
	var rows []CustomerAttention
	err := s.db.R.WithContext(ctx).Table("action_items AS ai").
		Select(`c.id AS customer_id, c.name, c.slug,
			SUM(CASE WHEN ai.priority IN ('P0','P1') THEN 1 ELSE 0 END) AS critical,
			SUM(CASE WHEN ai.priority IN ('P0','P1') AND ai.owner = 'customer' THEN 1 ELSE 0 END) AS critical_theirs,
			SUM(CASE WHEN ai.due_date < ? THEN 1 ELSE 0 END) AS overdue,
			SUM(CASE WHEN ai.due_date < ? AND ai.priority IN ('P0','P1') THEN 1 ELSE 0 END) AS overdue_critical,
			SUM(CASE WHEN ai.due_date >= ? AND ai.due_date < ? THEN 1 ELSE 0 END) AS due_this_week`,
			today.String(), today.String(), today.String(), week).
		Joins("JOIN postmortem_customers pc ON pc.postmortem_id = ai.postmortem_id").
		Joins("JOIN customers c ON c.id = pc.customer_id").
		Joins("JOIN postmortems p ON p.id = ai.postmortem_id AND p.deleted_at IS NULL").
		Where("ai.status IN ? AND (ai.owner = ? OR ai.customer_id = pc.customer_id)", OpenStatuses, OwnerProvider).
		// Only items that count somewhere: critical, overdue or due soon.
		Where("(ai.priority IN ('P0','P1') OR ai.due_date < ?)", week).
		Group("c.id, c.name, c.slug").Scan(&rows).Error
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
