package demo

import "github.com/amendsdev/amends/models"

const (
	prov = models.OwnerProvider
	cust = models.OwnerCustomer
)

func moves(m ...move) []move { return m }

var incidents = []incidentSeed{
	{
		daysAgo: 75, minutes: 47, customers: []string{"northwind", "globex"}, publish: true,
		impacts: map[string]float64{"northwind/api-availability": 31, "globex/checkout-availability": 12},
		in: models.PostmortemInput{
			Title: "Shipment API errors after a certificate rotation", Severity: "SEV2", Visibility: models.VisibilityShared,
			Summary:           "The automated rotation pushed an intermediate-less chain to the edge-lb pool; clients that do not fetch intermediates failed TLS for 47 minutes.",
			Impact:            "About 18% of API calls failed, concentrated on Java 8 clients.",
			RootCauses:        "The rotation job built the chain from the leaf only. Staging uses a client that fetches intermediates (AIA), so it passed.",
			Trigger:           "Scheduled rotation at 13:00 UTC.",
			Resolution:        "Sam rolled back to the previous certificate bundle on edge-lb-01..04.corp at 13:41.",
			Detection:         "Synthetic TLS probe alert at 13:06; paged Mei at 13:07.",
			WentWell:          "- Rollback was one command.\n- Customer-facing status page updated within 10 minutes.",
			WentWrong:         "- Staging does not reproduce strict TLS clients.\n- Rotation has no canary.",
			GotLucky:          "The rotation ran on a weekday during working hours.",
			Timeline:          "- 13:00 rotation job runs\n- 13:06 probe alert fires\n- 13:07 Mei paged\n- 13:30 Sam identifies missing intermediate\n- 13:41 rollback complete\n- 13:47 error rate back to baseline",
			ExternalSummary:   "Between 13:00 and 13:47 UTC, some API clients could not establish TLS connections after a routine certificate rotation.",
			ExternalImpact:    "About a fifth of shipment API requests failed during the window, mostly from clients that do not download intermediate certificates themselves.",
			ExternalCause:     "The new certificate chain was published without its intermediate certificate. Our pre-release checks use clients that fetch missing intermediates, so the problem was not caught before release.",
			ExternalNextSteps: "We now validate the full chain with strict clients before any rotation, and rotations go to a small share of traffic first.",
		},
		items: []itemSeed{
			{title: "Validate full certificate chain with strict TLS clients before rotation", owner: prov, assignee: "sam@amends.example", typ: "prevent", priority: "P0", due: -20, moves: moves(move{60, models.StatusInProgress})},
			{title: "Canary certificate rotations on 5% of edge traffic", owner: prov, assignee: "mei@amends.example", typ: "mitigate", priority: "P1", due: -5, moves: moves(move{50, models.StatusInProgress}, move{20, models.StatusBlocked})},
			{title: "Add strict-TLS synthetic probe per region", owner: prov, assignee: "mei@amends.example", typ: "detect", priority: "P1", due: -40, moves: moves(move{55, models.StatusDone})},
			{title: "Upgrade Java 8 integration clients to fetch intermediates", owner: cust, customer: "northwind", assignee: "ops@northwind.example", typ: "repair", priority: "P1", due: -10},
			{title: "Write runbook for manual certificate rollback", owner: prov, assignee: "sam@amends.example", typ: "process", priority: "P3", due: 30, internal: true},
		},
	},
	{
		daysAgo: 40, minutes: 95, customers: []string{"globex"},
		impacts: map[string]float64{"globex/checkout-availability": 48},
		in: models.PostmortemInput{
			Title: "Checkout latency during a storage regression", Severity: "SEV1", Visibility: models.VisibilityJoint, Status: models.PMInReview,
			Summary:           "A storage frontend release regressed uncached reads of small objects; Globex checkout timed out while their failover took 30 minutes.",
			Impact:            "p99 read latency rose from 40 ms to 2.1 s in one region.",
			RootCauses:        "Release 4.12 of the storage frontend removed a read-ahead path for objects between 4 KB and 32 KB.",
			Trigger:           "Release rollout reached the region at 13:00.",
			Resolution:        "Rolled the release back region by region.",
			Detection:         "Globex reported it before our alerts fired; regional latency alerts are aggregated globally.",
			WentWell:          "Shared dashboard with Globex made the single-region pattern obvious.",
			WentWrong:         "Latency testing does not cover uncached reads by object size.",
			GotLucky:          "Only objects between 4 KB and 32 KB were affected.",
			Timeline:          "- 13:00 rollout reaches region\n- 13:20 Globex opens ticket OPS-4471\n- 13:35 rollback starts\n- 14:35 latency normal",
			ExternalSummary:   "A storage release increased read latency for some objects in one region; checkout requests timed out until the release was rolled back.",
			ExternalImpact:    "Checkout requests served from the affected region were slow or timed out for about 95 minutes.",
			ExternalCause:     "A performance regression in a storage release affected uncached reads of small objects. Our release tests did not measure latency by object size.",
			ExternalNextSteps: "We are adding latency tests by object size and per-region latency alerts. Together we agreed to practise regional failover every quarter.",
		},
		items: []itemSeed{
			{title: "Latency tests for cached and uncached reads by object size", owner: prov, assignee: "mei@amends.example", typ: "prevent", priority: "P0", due: -3, moves: moves(move{30, models.StatusInProgress})},
			{title: "Page on latency over SLO per region, not globally", owner: prov, assignee: "sam@amends.example", typ: "detect", priority: "P1", due: 5},
			{title: "Practise regional failover every quarter", owner: cust, customer: "globex", assignee: "sre@globex.example", typ: "process", priority: "P1", due: -2, moves: moves(move{25, models.StatusInProgress})},
			{title: "Dashboard for latency to and from the storage service", owner: cust, customer: "globex", assignee: "sre@globex.example", typ: "detect", priority: "P2", due: 20, moves: moves(move{15, models.StatusDone})},
			{title: "Update the failover playbook", owner: cust, customer: "globex", assignee: "sre@globex.example", typ: "process", priority: "P2", due: 14},
		},
	},
	{
		daysAgo: 20, minutes: 38, customers: []string{"northwind"}, publish: true,
		impacts: map[string]float64{"northwind/tracking-latency": 38, "northwind/api-availability": 9},
		in: models.PostmortemInput{
			Title: "Tracking page outage from a DNS change", Severity: "SEV2", Visibility: models.VisibilityShared,
			Summary:           "A DNS record for the tracking origin was replaced with a stale value during a zone migration.",
			Impact:            "Tracking page unavailable for 38 minutes in all regions.",
			RootCauses:        "The migration script compared records by name only and kept the older TTL and value.",
			Trigger:           "Zone migration run by the networking team.",
			Resolution:        "Restored the record from the zone backup.",
			Detection:         "Availability probe alert after 4 minutes.",
			WentWell:          "Zone backups were current.",
			WentWrong:         "No diff review before applying the migration.",
			GotLucky:          "Short TTLs let the fix propagate quickly.",
			Timeline:          "- 13:00 migration applied\n- 13:04 alert\n- 13:31 record restored\n- 13:38 recovered",
			ExternalSummary:   "From 13:00 to 13:38 UTC the tracking page could not be reached after a DNS change.",
			ExternalImpact:    "Tracking lookups failed in every region for 38 minutes; the shipment API was slow for part of that time.",
			ExternalCause:     "A migration of our DNS configuration replaced a record with an outdated value, because the migration compared records by name only.",
			ExternalNextSteps: "DNS changes now show a full diff that a second engineer approves, and the migration tool compares record values.",
		},
		items: []itemSeed{
			{title: "Require reviewed diff for every DNS change", owner: prov, assignee: "sam@amends.example", typ: "process", priority: "P1", due: 10, moves: moves(move{12, models.StatusDone})},
			{title: "Compare record values, not only names, in the migration tool", owner: prov, assignee: "mei@amends.example", typ: "repair", priority: "P0", due: -1, moves: moves(move{10, models.StatusInProgress})},
			{title: "Retry tracking lookups against the secondary hostname", owner: cust, customer: "northwind", assignee: "ops@northwind.example", typ: "mitigate", priority: "P2", due: 12},
			{title: "Evaluate a second DNS provider", owner: prov, assignee: "sam@amends.example", typ: "investigate", priority: "P3", due: 45, moves: moves(move{5, models.StatusWontFix})},
		},
	},
	{
		daysAgo: 9, minutes: 52, customers: []string{"initech"},
		impacts: map[string]float64{"initech/ledger-writes": 52},
		in: models.PostmortemInput{
			Title: "Ledger write failures during a database failover", Severity: "SEV1", Visibility: models.VisibilityJoint,
			Summary:         "An unplanned primary failover on pg-ledger-2.internal took 52 minutes because the replica was 9 minutes behind.",
			Impact:          "Ledger writes failed or timed out for Initech.",
			RootCauses:      "Replication lag was not alerted on; the replica fell behind during a nightly batch.",
			Trigger:         "Primary host lost its disk.",
			Resolution:      "Promoted the replica after it caught up.",
			Detection:       "Write error alert.",
			WentWell:        "Initech's client retried idempotently; no double postings.",
			WentWrong:       "Failover waited for manual approval.",
			GotLucky:        "The batch had finished before the failure.",
			Timeline:        "- 13:00 disk failure\n- 13:02 alert\n- 13:40 replica caught up\n- 13:52 writes resume",
			ExternalSummary: "Ledger writes failed for 52 minutes while our database failed over to its replica.",
		},
		items: []itemSeed{
			{title: "Alert on replication lag above one minute", owner: prov, assignee: "mei@amends.example", typ: "detect", priority: "P0", due: 5},
			{title: "Automate failover when the replica is current", owner: prov, assignee: "sam@amends.example", typ: "mitigate", priority: "P1", due: 21, moves: moves(move{3, models.StatusInProgress})},
			{title: "Queue ledger writes client-side during failover", owner: cust, customer: "initech", assignee: "reliability@initech.example", typ: "mitigate", priority: "P1", due: 25},
			{title: "Alert on client write error rate", owner: cust, customer: "initech", assignee: "reliability@initech.example", typ: "detect", priority: "P2", due: 18, moves: moves(move{2, models.StatusBlocked})},
			{title: "Move nightly batch off the primary", owner: prov, assignee: "mei@amends.example", typ: "prevent", priority: "P2", due: 40},
		},
	},
	{
		daysAgo: 30, minutes: 180,
		in: models.PostmortemInput{
			Title: "Build pipeline stalled on a full artifact disk", Severity: "SEV3", Visibility: models.VisibilityInternal, Status: models.PMDraft,
			Summary:    "ci-artifacts-1.corp ran out of disk; no deploys for three hours.",
			RootCauses: "Artifact retention was never configured.",
			Timeline:   "- 09:00 builds queue\n- 12:00 old artifacts pruned",
		},
		items: []itemSeed{
			{title: "Configure artifact retention", owner: prov, assignee: "sam@amends.example", typ: "repair", priority: "P2", due: -12, moves: moves(move{25, models.StatusDone})},
			{title: "Alert on artifact disk usage", owner: prov, assignee: "mei@amends.example", typ: "detect", priority: "P1", due: -8},
			{title: "Document deploy freeze procedure", owner: prov, assignee: "sam@amends.example", typ: "process", priority: "P3", due: 15},
		},
	},
	{
		daysAgo: 3, minutes: 140, customers: []string{"initech"},
		impacts: map[string]float64{"initech/webhook-delivery": 140},
		in: models.PostmortemInput{
			Title: "Webhook delivery delays after a queue backlog", Severity: "SEV3", Visibility: models.VisibilityShared, Status: models.PMInReview,
			Summary:           "A consumer deploy halved throughput of the webhook workers; the queue backed up for 140 minutes.",
			Impact:            "Webhook delivery delayed up to 40 minutes.",
			RootCauses:        "A config default changed concurrency from 32 to 16 workers.",
			Resolution:        "Restored concurrency and drained the backlog.",
			Timeline:          "- 13:00 deploy\n- 13:30 backlog alert\n- 15:20 drained",
			ExternalSummary:   "Payment webhooks were delivered late for a little over two hours after a change to our delivery workers.",
			ExternalImpact:    "Webhooks arrived up to 40 minutes late; none were lost.",
			ExternalCause:     "A configuration change reduced the number of webhook deliveries we process in parallel.",
			ExternalNextSteps: "We now alert on delivery delay directly and test configuration defaults before release.",
		},
		items: []itemSeed{
			{title: "Alert on webhook delivery delay", owner: prov, assignee: "mei@amends.example", typ: "detect", priority: "P1", due: 11},
			{title: "Pin worker concurrency in deploy config", owner: prov, assignee: "sam@amends.example", typ: "prevent", priority: "P2", due: 25, moves: moves(move{1, models.StatusDone})},
			{title: "Make webhook consumer idempotent on redelivery", owner: cust, customer: "initech", assignee: "reliability@initech.example", typ: "prevent", priority: "P3", due: 60},
		},
	},
}
