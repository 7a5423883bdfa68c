package sharecheck

import (
	"regexp"
	"strings"
)

// Building blocks of the capacity rules. Durations, percentages, status
// codes, dates and counts of customers or requests carry none of the units
// below, which is what keeps impact statements quiet: "about 1,200
// customers were affected" and "3% of requests failed" are what a customer
// needs to know, while "12 nodes" and "40 Gbps" tell an attacker what load
// would overwhelm the service.
const (
	capNum  = `(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?`
	capMult = `(?:\s?(?:k|m|thousand|million|billion)\b)?`
	wordNum = `(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|` +
		`fifteen|sixteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)`
	machines = `(?:nodes|servers|hosts|hypervisors|replicas|instances|cores|v?cpus|machines|shards|pods|brokers|vms|gpus|racks|disks|drives|switches|routers|firewalls|load\s+balancers|containers)`
	machine  = `(?:node|server|host|hypervisor|replica|instance|core|v?cpu|machine|shard|pod|broker|vm|gpu|rack|disk|drive)`
)

// capRule is one shape of capacity figure. When the pattern has groups,
// the first one that matched is reported rather than the whole match.
type capRule struct {
	re      *regexp.Regexp
	accept  func(text string, start, end int) bool
	suggest func(match string) string
}

func fixed(s string) func(string) string { return func(string) string { return s } }

var capRules = []capRule{
	{ // bandwidth: 40 Gbps, 400 Mb/s, 10 gigabits per second
		re:      regexp.MustCompile(`(?i)\b` + capNum + capMult + `[\s-]?(?:[kmgtp]bps|[kmgtp]i?b/s|[kmgtp]bits?(?:/s)?|(?:kilo|mega|giga|tera|peta)bits?(?:\s+per\s+second|/s)?)\b`),
		suggest: fixed("significant bandwidth"),
	},
	{ // link sizes: two 10G uplinks, a 100GbE port
		re:      regexp.MustCompile(`(?i)\b(\d+\s?(?:gbe|gbit|gb|g|gig|t))(?:\s+|-)(?:links?|uplinks?|circuits?|ports?|interfaces?|transit|nics?)\b|\b(\d+\s?gbe)\b`),
		suggest: fixed("high-capacity"),
	},
	{ // storage and memory: 2 TB of RAM, a 512 GiB volume
		re:      regexp.MustCompile(`(?i)\b` + capNum + `[\s-]?(?:[kmgtpe]i?b|(?:kilo|mega|giga|tera|peta)bytes?)\b(?:\s+of\s+(?:ram|memory|disk space|disk|storage|ssd|nvme|heap|cache|swap))?`),
		suggest: storageSuggestion,
	},
	{ // request and operation rates: 10k rps, 5000 QPS, 1,200 writes per second
		re:      regexp.MustCompile(`(?i)\b` + capNum + capMult + `\s*(?:rps|qps|tps|iops|req/s|reqs?/sec|(?:requests|queries|messages|events|writes|reads|transactions|operations|ops|lookups|calls|connections|logins|jobs|builds|emails)\s*(?:per|/|an?)\s*(?:second|sec|s|minute|min|hour|day)\b)`),
		suggest: fixed("a high request rate"),
	},
	{ // machine counts: 3 nodes, twelve read replicas, 64 CPU cores, 200+ pods
		re: regexp.MustCompile(`(?i)\b(?:` + capNum + capMult + `\+?|` + wordNum + `)(?:\s+[a-z][\w-]*){0,2}\s+` + machines + `\b`),
		accept: func(text string, start, end int) bool {
			return plainQualifiers(text, start, end) && wholeCount(text[start:end]) && !occurrences(text, start, end)
		},
		suggest: countSuggestion("several"),
	},
	{ // machine sizes: a 3-node cluster, a 64-core host
		re:      regexp.MustCompile(`(?i)\b(?:` + capNum + `|` + wordNum + `)-` + machine + `\b`),
		suggest: func(m string) string { return "multi-" + strings.ToLower(m[strings.IndexByte(m, '-')+1:]) },
	},
	{ // configured limits: a connection limit of 500, queue depth limit is 50k
		re: regexp.MustCompile(`(?i)\b(?:connection|pool|queue|rate|request|concurrency)\s+(?:limit|size|capacity|depth|cap)(?:\s+(?:limit|size|cap))?\s+(?:of|was|is|at|to)\s+` + capNum + capMult),
	},
	{ // users at a peak: a peak of 3.4 million users, peaked at 90,000 players
		re:      regexp.MustCompile(`(?i)\bpeak(?:ed)?\s+(?:of|at)\s+(?:about\s+|around\s+|roughly\s+|over\s+|nearly\s+)?(` + capNum + capMult + `\+?\s+(?:[a-z-]+\s+)?(?:users|sessions|players|clients|viewers|devices|visitors|connections|requests|builds|jobs))\b`),
		suggest: countSuggestion("many"),
	},
	{ // peak concurrency: a peak concurrency of 12,000, concurrency reached 5k
		re: regexp.MustCompile(`(?i)\bconcurrency\s+(?:of|was|reached|hit|peaked\s+at)\s+(?:about\s+|around\s+|over\s+)?` + capNum + capMult),
	},
	{ // setting names: max_connections of 500, maxclients=10000
		re: regexp.MustCompile(`(?i)\b(?:max_?connections|max_?clients|max_?conns|worker_connections|pool_?size)\s*(?:=|:|of|to|at|is)?\s*` + capNum + capMult),
	},
	{ // connections: 8,000 connections, 4,096 connections per listener
		re:      regexp.MustCompile(`(?i)\b` + capNum + capMult + `\+?\s+(?:(?:concurrent|simultaneous|open|active|pooled|database|db|tcp|tls|http|client|backend|idle|persistent|websocket|upstream)\s+){0,2}connections\b`),
		accept:  func(text string, start, end int) bool { return wholeCount(text[start:end]) },
		suggest: countSuggestion("many"),
	},
	{ // users at a peak: 3.4 million concurrent users, 2 million active users
		re:      regexp.MustCompile(`(?i)\b` + capNum + capMult + `\+?\s+(?:concurrent|simultaneous|active|online|connected|peak|daily\s+active|monthly\s+active)\s+(?:users|sessions|players|clients|viewers|devices|streams|visitors|requests|queries|jobs|builds|workers|calls|transactions)\b`),
		accept:  func(text string, start, end int) bool { return wholeCount(text[start:end]) },
		suggest: countSuggestion("many"),
	},
}

func findCapacities(text string) []span {
	var out []span
	for _, r := range capRules {
		for _, m := range r.re.FindAllStringSubmatchIndex(text, -1) {
			start, end := reported(m)
			if b := before(text, start); b == '.' || b == ':' || b == '/' || b == '-' {
				continue
			}
			if r.accept != nil && !r.accept(text, start, end) {
				continue
			}
			s := span{start: start, end: end, kind: KindCapacity}
			if r.suggest != nil {
				s.suggestion = r.suggest(text[start:end])
			}
			out = append(out, s)
		}
	}
	return out
}

// reported picks the first group that matched, or the whole match.
func reported(m []int) (int, int) {
	for i := 2; i+1 < len(m); i += 2 {
		if m[i] >= 0 {
			return m[i], m[i+1]
		}
	}
	return m[0], m[1]
}

// fillerWords between a number and a machine noun mean the number counts
// something else: "12 hours the nodes", "two of the nodes".
var fillerWords = setOf("the", "a", "an", "and", "or", "of", "to", "for", "in", "on", "at", "by",
	"with", "from", "our", "its", "their", "that", "which", "was", "were", "is", "are", "be",
	"been", "had", "have", "has", "than", "per", "out", "more", "less", "percent",
	"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks")

func plainQualifiers(text string, start, end int) bool {
	words := strings.Fields(text[start:end])
	for _, w := range words[1 : len(words)-1] {
		if fillerWords[strings.ToLower(w)] {
			return false
		}
	}
	return true
}

// occurrencesRe follows "instances" that count occurrences: "two
// instances of this failure", "three instances where".
var occurrencesRe = regexp.MustCompile(`(?i)^\s+(?:of\s+(?:this|that|these|those|such|it|the\s+(?:same|issue|problem|bug|error|failure))|where|when|in\s+which)\b`)

func occurrences(text string, start, end int) bool {
	return strings.HasSuffix(strings.ToLower(text[start:end]), "instances") && occurrencesRe.MatchString(text[end:])
}

// wholeCount rejects "1.1 connections" (TLS 1.1): a count with a
// fraction needs a multiplier, as in "3.4 million".
func wholeCount(m string) bool {
	num := countPrefixRe.FindString(m)
	return !strings.Contains(num, ".") || strings.ContainsAny(strings.ToLower(num), "kmb")
}

// firstWord returns the word that starts s after any white space, without
// trailing punctuation.
func firstWord(s string) string {
	s = strings.TrimLeft(s, " \t\r\n")
	if i := strings.IndexAny(s, " \t\r\n"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimRight(s, ".,;:!?")
}

// storageSuggestion keeps what the figure measured: "2 TB of RAM" becomes
// "a large amount of RAM".
func storageSuggestion(m string) string {
	if _, what, ok := strings.Cut(m, " of "); ok {
		return "a large amount of " + what
	}
	return "significant capacity"
}

// countPrefixRe is the number in front of a counted noun.
var countPrefixRe = regexp.MustCompile(`(?i)^(?:` + capNum + capMult + `\+?|` + wordNum + `)\s+`)

// countSuggestion replaces the number and keeps the noun: "3 database
// nodes" becomes "several database nodes".
func countSuggestion(quantifier string) func(string) string {
	return func(m string) string {
		return quantifier + " " + m[len(countPrefixRe.FindString(m)):]
	}
}
