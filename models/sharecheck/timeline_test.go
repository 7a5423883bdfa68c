package sharecheck

import (
	"slices"
	"testing"
)

func TestTimelineNames(t *testing.T) {
	k := mustCompile(t, testConfig())
	scenarios := []struct {
		name     string
		timeline string
		want     []string
	}{
		{"name then verb", "14:02 Priya paged the storage on-call", []string{"Priya"}},
		{"list item with dash and initial", "- 14:05 — J. Alvarez rolled back", []string{"J. Alvarez"}},
		{"two responders", "* **14:20** Nadia O'Brien and Tomasz confirmed recovery", []string{"Nadia O'Brien", "Tomasz"}},
		{"hyphenated name", "14:03 Hyun-woo Kim joined the bridge", []string{"Hyun-woo Kim"}},
		{"table row", "| 14:00 | Alerts acknowledged by Priya |", []string{"Priya"}},
		{"name after by and in parentheses", "14:09 Status page updated by Lena (Marco)", []string{"Lena", "Marco"}},
		{"date and time", "2026-03-03 14:35 UTC: Postmortem assigned to McKenna", []string{"McKenna"}},
		{"roster", "IC: Sofia Lindqvist\n- Scribe: Ola Nordmann, Tom", []string{"Sofia Lindqvist", "Ola Nordmann", "Tom"}},
		{"handles", "14:47 @bgrant to write it up; cc @storage-oncall", []string{"@bgrant"}},
		{"sentence starts are not names", "14:06 Rollback started\n14:07 Alert fired\n14:12 Decided to fail over\n14:31 Checked dashboards\n14:32 Kafka consumers paused", nil},
		{"organisations and vendors", "14:33 Acme Corp confirmed the fix\n14:34 Cloudflare confirmed an incident", nil},
		{"allowed product", "14:40 Atlas recovered", nil},
		{"word seen in lower case", "14:10 Ingress shifted load\n14:12 The ingress recovered", nil},
		{"imperative with a plural object", "14:15 Scale workers to 20", nil},
		{"present tense", "14:16 Marco restarts the workers", []string{"Marco"}},
		{"untimed prose", "Priya wrote this summary after the incident.", nil},
		{"duplicates once", "14:01 Priya joined\n14:02 Priya paged storage", []string{"Priya"}},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			if got := k.TimelineNames(s.timeline); !slices.Equal(got, s.want) {
				t.Errorf("got %q, want %q", got, s.want)
			}
		})
	}
}

func TestCheckUsesTimelineNames(t *testing.T) {
	k := mustCompile(t, testConfig())
	doc := Document{
		InternalTimeline: "- 14:02 Kenji paged the storage on-call\n- 14:10 Rollback completed",
		Fields:           []Field{{Name: "external_cause", Text: "Kenji rolled back the change. Rollback completed at 14:10 UTC."}},
	}
	got := summary(k.Check(doc))
	if !slices.Equal(got, []string{"person_name:Kenji"}) {
		t.Errorf("got %q, want only Kenji", got)
	}
}
