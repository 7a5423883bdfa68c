package models

import (
	"errors"
	"sort"
	"strconv"
	"strings"
)

// ErrNotFound is returned when a record does not exist or the actor may not
// see it; the two are deliberately indistinguishable.
var ErrNotFound = errors.New("not found")

// ErrForbidden is returned when a staff actor lacks the permission.
var ErrForbidden = errors.New("forbidden")

// ValidationError names every bad field of an input.
type ValidationError struct {
	Fields map[string]string
}

func (e *ValidationError) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e.Fields[k]
	}
	return strings.Join(parts, "; ")
}

// ConflictError is a uniqueness or state conflict (HTTP 409).
type ConflictError struct {
	Field   string
	Message string
}

func (e *ConflictError) Error() string { return e.Message }

// RuleError is a request refused by a business rule (HTTP 422).
type RuleError struct {
	Code    string
	Message string
	Details any
}

func (e *RuleError) Error() string { return e.Message }

// fieldErrors collects validation messages by field name.
type fieldErrors map[string]string

func (f fieldErrors) add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

func (f fieldErrors) oneOf(field, v string, allowed []string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	f.add(field, "must be one of "+strings.Join(allowed, ", "))
}

// required checks a required one-line value, such as a title or a name.
func (f fieldErrors) required(field, v string, max int) {
	f.nonEmpty(field, v)
	f.line(field, v, max)
}

// requiredText checks a required value that may have lines, such as a
// comment.
func (f fieldErrors) requiredText(field, v string, max int) {
	f.nonEmpty(field, v)
	f.maxLen(field, v, max)
}

func (f fieldErrors) nonEmpty(field, v string) {
	if strings.TrimSpace(v) == "" {
		f.add(field, "is required")
	}
}

// line checks an optional one-line value.
func (f fieldErrors) line(field, v string, max int) {
	f.text(field, v, false)
	f.length(field, v, max)
}

// maxLen checks an optional value that may have lines (Markdown).
func (f fieldErrors) maxLen(field, v string, max int) {
	f.text(field, v, true)
	f.length(field, v, max)
}

func (f fieldErrors) length(field, v string, max int) {
	if len(v) > max {
		f.add(field, "is too long (at most "+strconv.Itoa(max)+" characters)")
	}
}

// text refuses what TextProblem refuses: the one rule for text, applied
// to every text field the domain validates, whatever the input came
// through (API, form, command line, OpenSLO file).
func (f fieldErrors) text(field, v string, lines bool) {
	if msg := TextProblem(v, lines); msg != "" {
		f.add(field, msg)
	}
}

func (f fieldErrors) err() error {
	if len(f) == 0 {
		return nil
	}
	return &ValidationError{Fields: f}
}
