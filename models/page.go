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
	// nullValue, when set, says expr is a column whose rows without a
	// value sort after every value (before them, descending), and is what
	// such a row's value is in a cursor (pageNullsLast).
	nullValue string
	value     func(*T) string
}

type cursor struct {
	Sort  string `json:"s"`
	Value string `json:"v"`
	ID    uint   `json:"i"`
}

// paginate runs q for one page and returns the rows and the next cursor
// ("" at the end).
func paginate[T any](q *gorm.DB, p Page, idExpr string, id func(*T) uint, fields []sortField[T], find finder[T]) ([]T, string, error) {
	sf, err := sortNamed(fields, strings.TrimPrefix(p.Sort, "-"))
	if err != nil {
		return nil, "", err
	}
	limit := p.Limit
	if limit <= 0 {
		limit = DefaultPageSize
	}
	if limit > MaxPageSize {
		limit = MaxPageSize
	}
	var after *cursor
	if p.Cursor != "" {
		c, err := decodeCursor(p.Cursor, p.Sort)
		if err != nil {
			return nil, "", err
		}
		after = &c
	}
	ks := keyset[T]{sf: sf, idExpr: idExpr, after: after, desc: strings.HasPrefix(p.Sort, "-"), find: find}
	read := ks.ordered
	if sf.nullValue != "" {
		read = ks.nullsLast
	}
	rows, err := read(q, limit+1)
	if err != nil {
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

func sortNamed[T any](fields []sortField[T], name string) (*sortField[T], error) {
	names := make([]string, len(fields))
	for i := range fields {
		if fields[i].name == name {
			return &fields[i], nil
		}
		names[i] = fields[i].name
	}
	return nil, &ValidationError{Fields: map[string]string{"sort": "must be one of " + strings.Join(names, ", ") + " (prefix - for descending)"}}
}

// keyset reads the rows of a page in the order of one sort field, then id,
// after the cursor's row if there is one.
type keyset[T any] struct {
	sf     *sortField[T]
	idExpr string
	after  *cursor
	desc   bool
	find   finder[T]
}

// finder reads the rows of a finished query.
type finder[T any] func(q *gorm.DB) ([]T, error)

// findAll reads rows through GORM, for lists whose cost is not in the
// scan.
func findAll[T any](q *gorm.DB) ([]T, error) {
	var rows []T
	err := q.Find(&rows).Error
	return rows, err
}

func (k keyset[T]) op() (op, dir string) {
	if k.desc {
		return "<", "DESC"
	}
	return ">", "ASC"
}

// ordered reads up to n rows ordered by the field's expression.
func (k keyset[T]) ordered(q *gorm.DB, n int) ([]T, error) {
	op, dir := k.op()
	if c := k.after; c != nil {
		if k.sf.expr == k.idExpr {
			q = q.Where(k.idExpr+" "+op+" ?", c.ID)
		} else {
			v, err := cursorValue(c.Value, k.sf.isTime)
			if err != nil {
				return nil, err
			}
			q = k.afterValue(q, v, c.ID)
		}
	}
	if k.sf.expr != k.idExpr {
		q = q.Order(k.sf.expr + " " + dir)
	}
	return k.find(q.Order(k.idExpr + " " + dir).Limit(n))
}

// afterValue keeps the rows after the one with sort value v and id, in the
// page's direction.
func (k keyset[T]) afterValue(q *gorm.DB, v any, id uint) *gorm.DB {
	op, _ := k.op()
	return q.Where(fmt.Sprintf("(%s %s ? OR (%s = ? AND %s %s ?))", k.sf.expr, op, k.sf.expr, k.idExpr, op), v, v, id)
}

// nullsLast reads up to n rows of a nullable column's sort: the rows with
// a value, in the column's order, and the rows without, in id order, after
// them (before them, descending). Each read follows an index over the
// column where there is one and stops at n; one order by an expression
// that put missing values last sorted every row of the list (0.2 s over a
// million action items).
func (k keyset[T]) nullsLast(q *gorm.DB, n int) ([]T, error) {
	first, second := k.valued, k.valueless
	if k.desc {
		first, second = k.valueless, k.valued
	}
	var rows []T
	// A cursor in the second part has the first behind it.
	if c := k.after; c == nil || (c.Value == k.sf.nullValue) == k.desc {
		var err error
		if rows, err = first(q.Session(&gorm.Session{}), n); err != nil || len(rows) == n {
			return rows, err
		}
	}
	more, err := second(q, n-len(rows))
	return append(rows, more...), err
}

func (k keyset[T]) valued(q *gorm.DB, n int) ([]T, error) {
	return k.find(k.valuedQuery(q).Limit(n))
}

// valuedQuery selects the rows with a value after the cursor, in order.
func (k keyset[T]) valuedQuery(q *gorm.DB) *gorm.DB {
	_, dir := k.op()
	q = q.Where(k.sf.expr + " IS NOT NULL")
	if c := k.after; c != nil && c.Value != k.sf.nullValue {
		q = k.afterValue(q, c.Value, c.ID)
	}
	return q.Order(k.sf.expr + " " + dir).Order(k.idExpr + " " + dir)
}

func (k keyset[T]) valueless(q *gorm.DB, n int) ([]T, error) {
	op, dir := k.op()
	q = q.Where(k.sf.expr + " IS NULL")
	if c := k.after; c != nil && c.Value == k.sf.nullValue {
		q = q.Where(k.idExpr+" "+op+" ?", c.ID)
	}
	return k.find(q.Order(k.idExpr + " " + dir).Limit(n))
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
