package models

import "strings"

// statement is hand-built SQL and its arguments, written side by side, for
// the writes in the writer's turn that GORM's statement building would
// slow down (audit.go, items_update.go).
type statement struct {
	sql  strings.Builder
	args []any
}

func (b *statement) add(sql string, args ...any) {
	b.sql.WriteString(sql)
	b.args = append(b.args, args...)
}
