package sharecheck

import "time"

// Target is how soon after resolution a customer postmortem should be out.
const Target = 24 * time.Hour

// TimelinessResult measures publication against Target.
type TimelinessResult struct {
	// Resolved is false while the incident is open; nothing is measured.
	Resolved bool
	// Published reports whether the postmortem has been published.
	Published bool
	// Elapsed runs from resolution to publication, or to now while
	// unpublished; a postmortem published before resolution counts as zero.
	Elapsed time.Duration
	// Late is true once Elapsed exceeds Target.
	Late bool
	// Deadline is resolution plus Target.
	Deadline time.Time
}

// Timeliness reports how long after resolution a shared postmortem was
// published, or how long it has been waiting at now.
func Timeliness(resolvedAt, publishedAt *time.Time, now time.Time) TimelinessResult {
	r := TimelinessResult{Published: publishedAt != nil}
	if resolvedAt == nil {
		return r
	}
	r.Resolved = true
	r.Deadline = resolvedAt.Add(Target)
	end := now
	if publishedAt != nil {
		end = *publishedAt
	}
	r.Elapsed = max(0, end.Sub(*resolvedAt))
	r.Late = r.Elapsed > Target
	return r
}
