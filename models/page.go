package models

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Page asks for one page of a list: up to Limit rows after Cursor, ordered
// by Sort ("due_date", "-updated_at", …; ties broken by id).
type Page struct {
	Limit  int
	Cursor string
	Sort   string
}

// Page sizes.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// sortField is one column a list may be ordered by. Pages are keyset-based
// (after the last row's sort value and id), so page 2,000 costs the same as
// page 1 on a million rows.
type sortField[T any] struct {
	name   string
	expr   string
	isTime bool
	value  func(*T) string
}

type cursor struct {
	Sort  string `json:"s"`
	Value string `json:"v"`
	ID    uint   `json:"i"`
}

// paginate runs q for one page and returns the rows and the next cursor
// ("" at the end).
func paginate[T any](q *gorm.DB, p Page, idExpr string, id func(*T) uint, fields []sortField[T]) ([]T, string, error) {
	sortName, desc := strings.TrimPrefix(p.Sort, "-"), strings.HasPrefix(p.Sort, "-")
	var sf *sortField[T]
	for i := range fields {
		if fields[i].name == sortName {
			sf = &fields[i]
		}
	}
	if sf == nil {
		names := make([]string, len(fields))
		for i, f := range fields {
			names[i] = f.name
		}
		return nil, "", &ValidationError{Fields: map[string]string{"sort": "must be one of " + strings.Join(names, ", ") + " (prefix - for descending)"}}
	}
	limit := p.Limit
	if limit <= 0 {
		limit = DefaultPageSize
	}
	if limit > MaxPageSize {
		limit = MaxPageSize
	}
	op, dir := ">", "ASC"
	if desc {
		op, dir = "<", "DESC"
	}
	if p.Cursor != "" {
		c, err := decodeCursor(p.Cursor, p.Sort)
		if err != nil {
			return nil, "", err
		}
		if sf.expr == idExpr {
			q = q.Where(idExpr+" "+op+" ?", c.ID)
		} else {
			v, err := cursorValue(c.Value, sf.isTime)
			if err != nil {
				return nil, "", err
			}
			q = q.Where(fmt.Sprintf("(%s %s ? OR (%s = ? AND %s %s ?))", sf.expr, op, sf.expr, idExpr, op), v, v, c.ID)
		}
	}
	if sf.expr != idExpr {
		q = q.Order(sf.expr + " " + dir)
	}
	var rows []T
	if err := q.Order(idExpr + " " + dir).Limit(limit + 1).Find(&rows).Error; err != nil {
		return nil, "", err
	}
	if len(rows) <= limit {
		return rows, "", nil
	}
	rows = rows[:limit]
	last := &rows[limit-1]
	next := encodeCursor(cursor{Sort: p.Sort, Value: sf.value(last), ID: id(last)})
	return rows, next, nil
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

var errBadCursor = &ValidationError{Fields: map[string]string{"cursor": "is not a cursor from a previous page of this list and sort"}}

func decodeCursor(s, sort string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &c) != nil || c.Sort != sort {
		return c, errBadCursor
	}
	return c, nil
}

func cursorValue(v string, isTime bool) (any, error) {
	if !isTime {
		return v, nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return nil, errBadCursor
	}
	return t.UTC(), nil
}

func timeValue(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
