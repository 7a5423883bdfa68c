// Package sharecheck decides whether the customer-facing text of a
// postmortem is safe and complete enough to share.
//
// Check scans every customer-facing field for details a good customer
// postmortem leaves out: a person's name (it must stay blameless), a vendor
// presented as the cause or at fault (blameless extends to vendors), and
// anything an attacker could use or a customer cannot open: email and IP
// addresses, internal host names, capacity figures and internal references.
// Each detector is a small set of regular expressions and word lists plus
// explicit filters that keep ordinary incident prose ("about 1,200
// customers were affected", "3% of requests", "v2.14.1", "HTTP 503
// errors", "us-east-1", "we run on Google Cloud") quiet, because a checker
// that cries wolf gets ignored. Overlapping matches are reported once: the
// longer match explains more of the text, and on a tie the more specific
// kind wins. Anything on the admin's allow list is never reported.
//
// Person names come from the people amends knows (users, contacts,
// assignees), from the internal timeline ("14:02 Priya paged the storage
// on-call") and the other internal fields, from @handles, and from an
// embedded list of given names across cultures: a listed given name before
// a surname ("Niels Lunn"), a given name alone where the sentence shows a
// person ("Yusuf noticed", "reported by Siobhan"), thanks and credits.
// Given names that are also words or places ("Will", "Grant", "Sydney")
// count only before a known surname.
//
// Host names are those under the configured internal suffixes or patterns
// and machine-like names: role words with numbers or environment parts
// ("db1", "web-03.prod", "redis-cache-02", "db1.cluster.gitlab.com").
// Capacities are absolute counts of machines, switches, nodes and
// connections, users at a peak, sizes in bytes, bandwidth and request
// rates, never impact counts or percentages. A vendor is reported only
// where its sentence blames it ("due to a Cloudflare bug", "an outage at
// Twilio", "Auth0 was down"); Config.OwnNames is never blamed.
//
// Completeness scores the customer-facing text against the published
// guideline for postmortem communication (start and end time, impact, root
// cause, what is being done, lessons learned, plus bonus items), and
// Timeliness measures publication against the 24-hour target.
//
// The package is pure: no database, no HTTP. Compile a Config once into a
// Checker and call Checker.Check on every request.
package sharecheck
