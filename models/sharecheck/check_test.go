package sharecheck

import (
	"slices"
	"strings"
	"testing"
)

var testPeople = []string{"Dana Whitfield", "Mark Chen", "li.wei@northwind.example", "Atlas Moreno"}

func testConfig() Config {
	cfg := DefaultConfig()
	cfg.Allow = []string{"Northwind", "Northwind Console", "Atlas"}
	cfg.HostPatterns = []string{`\bhermes(?:-[a-z0-9]+)+\b`}
	cfg.TicketPrefixes = []string{"INC"}
	return cfg
}

func mustCompile(t testing.TB, cfg Config) *Checker {
	t.Helper()
	k, err := cfg.Compile()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// summary renders findings as "kind:match" for compact expectations.
func summary(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, string(f.Kind)+":"+f.Match)
	}
	return out
}

func checkText(k *Checker, text string) []Finding {
	return k.Check(Document{Fields: []Field{{Name: "external_cause", Text: text}}, KnownNames: testPeople})
}

func TestCheckOrdinaryProseIsQuiet(t *testing.T) {
	k := mustCompile(t, testConfig())
	scenarios := []struct{ name, text string }{
		{"rollback", "We rolled the update back and the service recovered."},
		{"share of requests", "About a fifth of requests failed, and about 20% of requests were slow."},
		{"window", "Between 14:05 and 14:47 UTC on 3 March 2026, and again from 10:00-10:45 (14:05:00 to 14:06:30)."},
		{"availability", "Availability for the month was 99.9%, against a target of 99.95%."},
		{"versions", "Release v2.14.1 fixed it; version 1.2.3.4 of the agent and 1.2.3.4.5 are unaffected."},
		{"status codes", "Clients saw HTTP 503 errors and some 429 responses."},
		{"regions", "Only the us-east1 region, us-east-1 and eu-west-2 were affected."},
		{"product names", "Northwind Console and Atlas were slow for EU customers."},
		{"people as roles", "Two engineers from our on-call team joined within minutes."},
		{"steps", "Step 3 of our incident process was skipped; 3 retries were made."},
		{"durations", "p99 latency reached 2 seconds for 30 minutes; 1 in 8 payments failed twice."},
		{"standards", "We patched CVE-2024-3094; SHA-256 signatures and TLS 1.3 are unchanged. This was a SEV-1 incident."},
		{"error codes", "If you saw ERR-1042 or error code E1042, retrying will succeed."},
		{"idioms", "We held a go/no-go call. Will this happen again? In May we will know."},
		{"percentages are not capacity", "We ran at 80% of capacity; CPU at 100%; disks 95% full."},
		{"neutral vendor mentions", "Customers with deployments in the AWS us-east-1 region were slow. We restored from a backup provided by DigitalOcean, we run on Google Cloud, and thanks to Fastly's support team."},
		{"vendor not at fault", "Our incident was unrelated to the Cloudflare outage; the bug was in our own code, not in the AWS service."},
		{"ambiguous given names", "Grant Access to the console. Bill Payment was slow. Will Rogers Airport is not ours. May Cause Delays."},
		{"places and products", "Victoria, Sydney and Jordan traffic; Travis CI, Aurora PostgreSQL, Ruby on Rails and Hugo sites."},
		{"handles that are not people", "Ask @sre-oncall; the @babel/core package; @here."},
		{"look-alikes", "x86-64 builds, log4j-core, node20 and es2015 bundles, our top-10 customers, web3, redis-6.2, config.prod.yaml."},
		{"public links", "Updates are at https://status.northwind.example/incidents/42 and https://docs.northwind.example/limits."},
		{"headings and tags", "# Impact\nOur #1 priority is IPv6 traffic."},
		{"case and boundaries", "dana was mentioned in lower case; Danaher is a different word; AWSome is not a vendor."},
		{"local as a word", "The local team and the corp. Local offices were informed."},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			if got := checkText(k, s.text); len(got) > 0 {
				t.Errorf("want no findings, got %q", summary(got))
			}
		})
	}
}

func TestCheckFindsEachKind(t *testing.T) {
	k := mustCompile(t, testConfig())
	scenarios := []struct {
		name string
		text string
		want []string
	}{
		{"full name", "Dana Whitfield restarted the job.", []string{"person_name:Dana Whitfield"}},
		{"surname alone", "It was approved by Whitfield.", []string{"person_name:Whitfield"}},
		{"first name alone", "Dana's change caused it.", []string{"person_name:Dana"}},
		{"name from an email", "Wei approved it after li.wei reviewed it.", []string{"person_name:Wei", "person_name:li.wei"}},
		{"ambiguous first name with a verb", "Mark noticed the error rate.", []string{"person_name:Mark"}},
		{"ambiguous first name as a word", "Mark the item done.", nil},
		{"unknown name after a role", "Our on-call engineer, Ana, noticed it.", []string{"person_name:Ana"}},
		{"role followed by a term", "Our engineer, Storage Team, and support.", nil},
		{"allowed word inside a full name", "Atlas Moreno restarted Atlas.", []string{"person_name:Atlas Moreno"}},
		{"email", "Write to support-team@northwind.example.", []string{"email:support-team@northwind.example"}},
		{"email of a person", "Ask dana.whitfield@northwind.example.", []string{"email:dana.whitfield@northwind.example"}},
		{"ipv4", "Traffic to 10.0.4.17 failed.", []string{"ip_address:10.0.4.17"}},
		{"ipv4 cidr", "The 10.0.0.0/8 range.", []string{"ip_address:10.0.0.0/8"}},
		{"ipv6 compressed", "Resolver 2001:db8::1 and fe80::1/64 and ::1.", []string{"ip_address:2001:db8::1", "ip_address:fe80::1/64", "ip_address:::1"}},
		{"not addresses", "Octets 999.1.1.1, the 1.2.3 build and MAC-like 14:05:00.", nil},
		{"internal suffix", "Queries to pay-api.internal and db.corp timed out.", []string{"internal_host:pay-api.internal", "internal_host:db.corp"}},
		{"suffix continues publicly", "See a.local.example.com.", nil},
		{"machine names", "db-prod-03, prod-db01, web-01 and db03 went down.", []string{"internal_host:db-prod-03", "internal_host:prod-db01", "internal_host:web-01", "internal_host:db03"}},
		{"admin pattern", "Deployed to hermes-dispatch-2.", []string{"internal_host:hermes-dispatch-2"}},
		{"bandwidth", "We lost 40 Gbps of transit and two 10G uplinks.", []string{"capacity:40 Gbps", "capacity:10G"}},
		{"rates", "Peaks of 10k rps and 5000 QPS, 1,200 writes per second.", []string{"capacity:10k rps", "capacity:5000 QPS", "capacity:1,200 writes per second"}},
		{"machines", "3 nodes, twelve read replicas, 64 CPU cores and a 3-node cluster.", []string{"capacity:3 nodes", "capacity:twelve read replicas", "capacity:64 CPU cores", "capacity:3-node"}},
		{"memory", "Each host has 2 TB of RAM.", []string{"capacity:2 TB of RAM"}},
		{"sizes in bytes", "Uploads larger than 5 GB hit the 2TB file size limit.", []string{"capacity:5 GB", "capacity:2TB"}},
		{"peaks and switches", "A peak of 3.4 million concurrent users on the 114 switches.", []string{"capacity:3.4 million concurrent users", "capacity:114 switches"}},
		{"connections", "It held 8,000 connections with max_connections of 500; TLS 1.1 connections failed.", []string{"capacity:8,000 connections", "capacity:max_connections of 500"}},
		{"limits", "The connection limit of 500 was hit by 10,000 concurrent connections.", []string{"capacity:connection limit of 500", "capacity:10,000 concurrent connections"}},
		{"open-ended counts and limits", "We run 200+ pods; the queue depth limit is 50k.", []string{"capacity:200+ pods", "capacity:queue depth limit is 50k"}},
		{"count with filler is not a figure", "For 12 hours the nodes were slow; two of the nodes failed.", nil},
		{"vendor as the cause", "The root cause was an Amazon EBS degradation.", []string{"vendor:Amazon EBS"}},
		{"vendor bug", "It failed due to a Cloudflare bug.", []string{"vendor:Cloudflare"}},
		{"vendor's faulty update", "It was caused by a faulty update from CrowdStrike.", []string{"vendor:CrowdStrike"}},
		{"vendor down", "Sign-ins failed because Auth0 was down.", []string{"vendor:Auth0"}},
		{"vendor phrase at fault", "An outage at Amazon Web Services and a Let's Encrypt incident.", []string{"vendor:Amazon Web Services", "vendor:Let's Encrypt"}},
		{"unlisted provider", "Our DNS provider, NetCo, had an outage.", []string{"vendor:NetCo"}},
		{"unknown full name", "Thanh Nguyen and Agnieszka Kowalczyk rolled it back.", []string{"person_name:Thanh Nguyen", "person_name:Agnieszka Kowalczyk"}},
		{"ambiguous given name with a surname", "Approved by Grant Whitaker.", []string{"person_name:Grant Whitaker"}},
		{"thanks", "Thanks, Niels Lunn, for the report.", []string{"person_name:Niels Lunn"}},
		{"given name in context", "Yusuf noticed it, as reported by Siobhan; Aisha's change.", []string{"person_name:Yusuf", "person_name:Siobhan", "person_name:Aisha"}},
		{"handle", "Reviewed by @jfrazier and @sarah-ops.", []string{"person_name:@jfrazier", "person_name:@sarah-ops"}},
		{"machine names under public domains", "db1, web-03.prod and db1.cluster.gitlab.com, prod-db and api.staging.example.com.", []string{"internal_host:db1", "internal_host:web-03.prod", "internal_host:db1.cluster.gitlab.com", "internal_host:prod-db", "internal_host:api.staging.example.com"}},
		{"ticket keys", "See OPS-123, JIRA-1234 and INC-7.", []string{"internal_reference:OPS-123", "internal_reference:JIRA-1234", "internal_reference:INC-7"}},
		{"short links", "Read go/storage-pm, go/noc-runbook and b/123456.", []string{"internal_reference:go/storage-pm", "internal_reference:go/noc-runbook", "internal_reference:b/123456"}},
		{"numbered items", "Reply to ticket #4512 or PR #88.", []string{"internal_reference:ticket #4512", "internal_reference:PR #88"}},
		{"private documents", "https://docs.google.com/document/d/abc and https://acme.atlassian.net/wiki/x.", []string{"internal_reference:https://docs.google.com/document/d/abc", "internal_reference:https://acme.atlassian.net/wiki/x"}},
		{"internal links", "http://wiki/Storage, https://grafana.northwind.example/d/1 and https://ops.corp/x.", []string{"internal_reference:http://wiki/Storage", "internal_reference:https://grafana.northwind.example/d/1", "internal_reference:https://ops.corp/x"}},
		{"chat channel", "We met in #inc-storage.", []string{"internal_reference:#inc-storage"}},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			if got := summary(checkText(k, s.text)); !slices.Equal(got, s.want) {
				t.Errorf("got %q, want %q", got, s.want)
			}
		})
	}
}

func TestCheckReportsOverlapsOnce(t *testing.T) {
	k := mustCompile(t, testConfig())
	scenarios := []struct{ name, text, want string }{
		{"email on an internal host", "ops@db.corp", "email:ops@db.corp"},
		{"email of a known person", "Dana@northwind.example", "email:Dana@northwind.example"},
		{"link to an address", "https://10.0.0.5:8443/admin", "internal_reference:https://10.0.0.5:8443/admin"},
		{"link to a host", "http://db-prod-03.corp/status", "internal_reference:http://db-prod-03.corp/status"},
		{"host under a suffix", "db-prod-03.corp", "internal_host:db-prod-03.corp"},
		{"full name over parts", "Dana Whitfield", "person_name:Dana Whitfield"},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			got := summary(checkText(k, s.text))
			if len(got) != 1 || got[0] != s.want {
				t.Errorf("got %q, want only %q", got, s.want)
			}
		})
	}
}

func TestCheckSuggestions(t *testing.T) {
	k := mustCompile(t, testConfig())
	scenarios := []struct{ text, want string }{
		{"Dana paged the storage team.", "the on-call engineer"},
		{"Dana merged the change.", "an engineer"},
		{"Mail hello@northwind.example.", "our support team"},
		{"Host 10.1.2.3.", "an internal address"},
		{"Host db-prod-03.", "an internal service"},
		{"We had 3 database nodes.", "several database nodes"},
		{"We had 2 TB of RAM.", "a large amount of RAM"},
		{"We lost 40 Gbps.", "significant bandwidth"},
		{"A 3-node cluster.", "multi-node"},
		{"Fastly failed.", "a third-party provider"},
		{"Siobhan paged the team.", "the on-call engineer"},
	}
	for _, s := range scenarios {
		t.Run(s.text, func(t *testing.T) {
			got := checkText(k, s.text)
			if len(got) != 1 || got[0].Suggestion != s.want {
				t.Errorf("got %+v, want one finding suggesting %q", got, s.want)
			}
			if len(got) == 1 && !strings.Contains(got[0].Message, got[0].Match) {
				t.Errorf("message %q does not quote the match", got[0].Message)
			}
		})
	}
}

func TestCheckPositionsAndOrder(t *testing.T) {
	k := mustCompile(t, testConfig())
	doc := Document{
		KnownNames: testPeople,
		Fields: []Field{
			{Name: "external_summary", Text: "Fine.\nÉté: db-prod-03 and 10.0.0.1"},
			{Name: "action_items[42].title", Text: "Ask Dana"},
		},
	}
	got := k.Check(doc)
	want := []Finding{
		{Field: "external_summary", Kind: KindInternalHost, Match: "db-prod-03", Start: 13, End: 23, Line: 2, Column: 6},
		{Field: "external_summary", Kind: KindIPAddress, Match: "10.0.0.1", Start: 28, End: 36, Line: 2, Column: 21},
		{Field: "action_items[42].title", Kind: KindPersonName, Match: "Dana", Start: 4, End: 8, Line: 1, Column: 5},
	}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %d findings", summary(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Field != w.Field || g.Kind != w.Kind || g.Match != w.Match || g.Start != w.Start || g.End != w.End || g.Line != w.Line || g.Column != w.Column {
			t.Errorf("finding %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestCheckOwnOrganisationIsNeverBlamed(t *testing.T) {
	cfg := testConfig()
	cfg.Vendors = append(cfg.Vendors, "Northwind Cloud")
	text := "The outage was due to a Northwind Cloud bug, and Cloudflare was down."
	if got := summary(checkText(mustCompile(t, cfg), text)); !slices.Equal(got, []string{"vendor:Northwind Cloud", "vendor:Cloudflare"}) {
		t.Fatalf("without OwnNames got %q", got)
	}
	cfg.OwnNames = []string{"Northwind Cloud", "Cloudflare"}
	if got := checkText(mustCompile(t, cfg), text); len(got) != 0 {
		t.Errorf("own organisation blamed: %q", summary(got))
	}
}

func TestCheckNamesFromInternalText(t *testing.T) {
	k := mustCompile(t, testConfig())
	doc := Document{
		Fields:       []Field{{Name: "external_cause", Text: "A migration by Tanaka ran unbatched; Aoife saw it; @rkhan approved."}},
		InternalText: "Root cause: the migration written by Hiroshi Tanaka ran without a batch limit. Aoife noticed the earlier failure. Reviewed by @rkhan.",
	}
	want := []string{"person_name:Tanaka", "person_name:Aoife", "person_name:@rkhan"}
	if got := summary(k.Check(doc)); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	doc.InternalText = ""
	if got := summary(k.Check(doc)); !slices.Equal(got, want[1:]) {
		t.Errorf("without internal text got %q, want %q", got, want[1:])
	}
}

func TestCompile(t *testing.T) {
	t.Run("invalid host pattern is named", func(t *testing.T) {
		cfg := Config{HostPatterns: []string{`good-\d+`, `bad-(`}}
		if _, err := cfg.Compile(); err == nil || !strings.Contains(err.Error(), "bad-(") {
			t.Fatalf("Compile error = %v, want one naming bad-(", err)
		}
		got := summary(Check(Document{Fields: []Field{{Name: "f", Text: "good-7"}}}, cfg))
		if !slices.Equal(got, []string{"internal_host:good-7"}) {
			t.Errorf("Check with a bad pattern = %q, want the good pattern applied", got)
		}
	})
	t.Run("zero config has no suffixes or vendors", func(t *testing.T) {
		got := Check(Document{Fields: []Field{{Name: "f", Text: "Cloudflare and db.corp"}}}, Config{})
		if len(got) != 0 {
			t.Errorf("got %q, want nothing", summary(got))
		}
	})
	t.Run("suffixes with or without a dot", func(t *testing.T) {
		cfg := Config{InternalSuffixes: []string{"svc.example", ".Intra"}}
		got := summary(Check(Document{Fields: []Field{{Name: "f", Text: "api.svc.example and wiki.intra"}}}, cfg))
		if !slices.Equal(got, []string{"internal_host:api.svc.example", "internal_host:wiki.intra"}) {
			t.Errorf("got %q", got)
		}
	})
	t.Run("default suffixes", func(t *testing.T) {
		want := []string{".internal", ".corp", ".local", ".lan", ".intranet"}
		if got := DefaultConfig().InternalSuffixes; !slices.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}
