package sharecheck

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func at(hhmm string) *time.Time {
	t, err := time.Parse("2006-01-02 15:04", "2026-03-03 "+hhmm)
	if err != nil {
		panic(err)
	}
	return &t
}

func TestCompleteness(t *testing.T) {
	scenarios := []struct {
		name        string
		in          CompletenessInput
		wantScore   int
		wantMissing []string
		wantBonus   []string // keys of bonus items met
	}{
		{
			name:        "empty",
			in:          CompletenessInput{},
			wantScore:   0,
			wantMissing: []string{"start_time", "end_time", "impact", "root_cause", "next_steps", "lessons"},
		},
		{
			// Every required item plus all four bonus items: 6x15 + 10.
			name: "complete with every bonus",
			in: CompletenessInput{
				StartedAt:                  at("14:05"),
				ResolvedAt:                 at("14:47"),
				ExternalSummary:            "Between 14:05 and 14:47 UTC, customers in the EU region could not load dashboards. Our on-call team worked together to restore service.",
				ExternalImpact:             "Customers in the EU region saw errors on about a fifth of dashboard requests for 42 minutes.",
				ExternalCause:              "A configuration change reduced the size of the database cache. Because the cache was smaller, most queries went to disk, which led to slow responses, and the slow responses triggered retries that overloaded the database further.",
				ExternalNextSteps:          "Going forward, configuration changes to the database are tested under production load before release. If you run a similar setup, we recommend alerting on cache hit rate.",
				CustomerVisibleActionItems: 2,
			},
			wantScore: 100,
			wantBonus: []string{"technologies", "five_whys", "human_elements", "others_learn"},
		},
		{
			// Required items only; one causal link, no technology, no people.
			name: "required only",
			in: CompletenessInput{
				StartedAt:                  at("14:05"),
				ResolvedAt:                 at("14:47"),
				ExternalSummary:            "Between 14:05 and 14:47 UTC, reports did not load.",
				ExternalImpact:             "Customers could not open reports or export them during the incident.",
				ExternalCause:              "A change to how reports are generated contained a mistake, and because of it every report request timed out until the change was reverted.",
				ExternalNextSteps:          "We learned that this kind of mistake needs a test, so every release now runs one before it ships.",
				CustomerVisibleActionItems: 1,
			},
			wantScore: 90,
		},
		{
			// Start time (15) plus two of four bonus items (10*2/4 = 5).
			name: "thin draft",
			in: CompletenessInput{
				StartedAt:         at("14:05"),
				ExternalImpact:    "Some errors.",
				ExternalCause:     "The database stopped answering queries for a while and then started answering them again after a restart by our team.",
				ExternalNextSteps: "We are adding monitoring so that we notice this sooner next quarter.",
				WhatWentWrong:     "Cache resize shipped without load test.",
				Lessons:           "Load-test config changes.",
			},
			wantScore:   20,
			wantMissing: []string{"end_time", "impact", "root_cause", "next_steps", "lessons"},
			wantBonus:   []string{"technologies", "human_elements"},
		},
		{
			name: "resolved before it started",
			in: CompletenessInput{
				StartedAt:  at("14:47"),
				ResolvedAt: at("14:05"),
			},
			wantScore:   15,
			wantMissing: []string{"end_time", "impact", "root_cause", "next_steps", "lessons"},
		},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			got := Completeness(s.in)
			if got.Score != s.wantScore {
				t.Errorf("Score = %d, want %d", got.Score, s.wantScore)
			}
			if !slices.Equal(got.Missing, s.wantMissing) {
				t.Errorf("Missing = %q, want %q", got.Missing, s.wantMissing)
			}
			var bonus []string
			for _, c := range got.Bonus {
				if c.OK {
					bonus = append(bonus, c.Key)
				}
			}
			if !slices.Equal(bonus, s.wantBonus) {
				t.Errorf("bonus met = %q, want %q", bonus, s.wantBonus)
			}
		})
	}
}

func TestCompletenessHints(t *testing.T) {
	got := Completeness(CompletenessInput{WhatWentWrong: "Cache resize.", Lessons: "Load-test."})
	if len(got.Required) != 6 || len(got.Bonus) != 4 {
		t.Fatalf("got %d required and %d bonus items, want 6 and 4", len(got.Required), len(got.Bonus))
	}
	for _, c := range append(got.Required, got.Bonus...) {
		if c.Key == "" || c.Label == "" || c.Hint == "" {
			t.Errorf("item %+v lacks a key, label or hint", c)
		}
	}
	for _, i := range []int{3, 5} { // root_cause and lessons point at the internal notes
		if !strings.Contains(got.Required[i].Hint, "internal") {
			t.Errorf("%s hint %q does not point at the internal notes", got.Required[i].Key, got.Required[i].Hint)
		}
	}
}
