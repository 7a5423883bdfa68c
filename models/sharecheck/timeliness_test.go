package sharecheck

import (
	"testing"
	"time"
)

func TestTimeliness(t *testing.T) {
	resolved := time.Date(2026, 3, 3, 14, 47, 0, 0, time.UTC)
	after := func(d time.Duration) *time.Time { t := resolved.Add(d); return &t }
	scenarios := []struct {
		name                string
		resolved, published *time.Time
		now                 time.Time
		want                TimelinessResult
	}{
		{
			name: "still open",
			now:  resolved,
			want: TimelinessResult{},
		},
		{
			name:      "published before resolution counts as zero",
			published: after(-time.Hour),
			resolved:  &resolved,
			now:       resolved.Add(48 * time.Hour),
			want:      TimelinessResult{Resolved: true, Published: true, Deadline: resolved.Add(Target)},
		},
		{
			name:      "published the same day",
			resolved:  &resolved,
			published: after(6 * time.Hour),
			now:       resolved.Add(72 * time.Hour),
			want:      TimelinessResult{Resolved: true, Published: true, Elapsed: 6 * time.Hour, Deadline: resolved.Add(Target)},
		},
		{
			name:      "published exactly on target",
			resolved:  &resolved,
			published: after(24 * time.Hour),
			now:       resolved.Add(72 * time.Hour),
			want:      TimelinessResult{Resolved: true, Published: true, Elapsed: 24 * time.Hour, Deadline: resolved.Add(Target)},
		},
		{
			name:      "published late",
			resolved:  &resolved,
			published: after(30 * time.Hour),
			now:       resolved.Add(72 * time.Hour),
			want:      TimelinessResult{Resolved: true, Published: true, Elapsed: 30 * time.Hour, Late: true, Deadline: resolved.Add(Target)},
		},
		{
			name:     "waiting within target",
			resolved: &resolved,
			now:      resolved.Add(20 * time.Hour),
			want:     TimelinessResult{Resolved: true, Elapsed: 20 * time.Hour, Deadline: resolved.Add(Target)},
		},
		{
			name:     "waiting too long",
			resolved: &resolved,
			now:      resolved.Add(25 * time.Hour),
			want:     TimelinessResult{Resolved: true, Elapsed: 25 * time.Hour, Late: true, Deadline: resolved.Add(Target)},
		},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			if got := Timeliness(s.resolved, s.published, s.now); got != s.want {
				t.Errorf("got %+v, want %+v", got, s.want)
			}
		})
	}
}
