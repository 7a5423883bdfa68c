package models

import "strings"

// statement is hand-built SQL and its arguments, written side by side, for
// the audit rows every write adds (audit.go): one multi-row INSERT.
type statement struct {
	sql  strings.Builder
	args []any
}

func (b *statement) add(sql string, args ...any) {
	b.sql.WriteString(sql)
	b.args = append(b.args, args...)
}
