package web

import "testing"

// Every value people read has a human label (issue 20: pages showed
// in_progress and wont_fix).
func TestLabel(t *testing.T) {
	scenarios := []struct{ in, want string }{
		{"in_progress", "In progress"},
		{"wont_fix", "Won't fix"},
		{"open", "Open"},
		{"in_review", "In review"},
		{"handing_off", "Handing off"},
		{"not_planned", "Not planned"},
		{"due_date", "Due date"},
		{"P1", "P1"},
		{"SEV2", "SEV2"},
		{"some_new_value", "Some new value"},
		{"", ""},
	}
	for _, sc := range scenarios {
		if got := Label(sc.in); got != sc.want {
			t.Errorf("Label(%q) = %q, want %q", sc.in, got, sc.want)
		}
	}
}

// Only enumerations are labelled: a title reads as typed.
func TestFieldValue(t *testing.T) {
	if got := FieldValue("status", "wont_fix"); got != "Won't fix" {
		t.Errorf("status: %q", got)
	}
	if got := FieldValue("title", "rotate_keys"); got != "rotate_keys" {
		t.Errorf("title: %q", got)
	}
}
