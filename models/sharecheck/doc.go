// Package sharecheck decides whether the customer-facing text of a
// postmortem is safe and complete enough to share.
//
// Check scans every customer-facing field for details a good customer
// postmortem leaves out: a person's name (it must stay blameless), a vendor
// (blameless extends to vendors), and anything an attacker could use or a
// customer cannot open: email and IP addresses, internal host names,
// capacity figures and internal references. Each detector is a small set of
// regular expressions plus explicit filters that keep ordinary incident prose
// ("about a fifth of requests", "v2.14.1", "HTTP 503 errors", "us-east1")
// quiet, because a checker that cries wolf gets ignored. Overlapping matches
// are reported once: the longer match explains more of the text, and on a tie
// the more specific kind wins. Anything on the admin's allow list is never
// reported.
//
// Person names come from the people amends knows (users, assignees) and from
// the internal timeline, whose lines ("14:02 Priya paged the storage
// on-call") name the responders that the customer version must not.
//
// Completeness scores the customer-facing text against the published
// guideline for postmortem communication (start and end time, impact, root
// cause, what is being done, lessons learned, plus bonus items), and
// Timeliness measures publication against the 24-hour target.
//
// The package is pure: no database, no HTTP. Compile a Config once into a
// Checker and call Checker.Check on every request.
package sharecheck
