package sharecheck

import (
	"regexp"
	"strings"
)

// A vendor is reported only when the sentence presents it as the cause or
// at fault: "due to a Cloudflare bug", "an outage at Twilio", "Auth0 was
// down", "caused by a faulty update from CrowdStrike". A neutral mention
// of where we run or who helped ("we run on Google Cloud", "thanks to
// Fastly's support team") is what a good postmortem says, and stays quiet.

var (
	faultNouns = setOf("outage", "outages", "bug", "bugs", "incident", "incidents", "failure",
		"failures", "degradation", "degradations", "disruption", "disruptions", "issue", "issues",
		"problem", "problems", "error", "errors", "fault", "faults", "defect", "defects",
		"regression", "misconfiguration", "malfunction", "breach", "leak", "cut", "downtime",
		"interruption", "impairment", "glitch", "flaw", "delay", "delays", "slowdown",
		"congestion", "loss", "crash", "crashes", "instability", "unavailability", "brownout",
		"blackout", "mistake", "timeouts", "5xx", "503s", "500s")
	// eventKinds make an "event" a fault: "a service event".
	eventKinds      = setOf("service", "operational", "power", "network", "outage", "major", "large-scale", "availability")
	faultAdjectives = setOf("faulty", "bad", "broken", "buggy", "defective", "erroneous",
		"incorrect", "misconfigured", "failed", "failing", "malformed", "corrupt", "corrupted",
		"flawed", "unannounced", "unplanned", "problematic", "unstable", "botched", "wrong")
	// faultVerbs put the vendor at fault on their own: "Fastly failed".
	faultVerbs = setOf("failed", "fails", "crashed", "broke", "misrouted", "leaked", "withdrew",
		"dropped", "corrupted", "rebooted", "terminated", "revoked", "throttled", "rate-limited",
		"caused", "causing", "triggered", "stopped", "degraded", "suffered",
		"misbehaved", "malfunctioned", "lost", "deleted", "expired", "blackholed", "hijacked")
	// objectVerbs need a fault after them: "Hetzner had a network outage",
	// "CrowdStrike pushed a faulty update", "Stripe returned errors".
	objectVerbs = setOf("had", "has", "experienced", "experiencing", "introduced", "pushed",
		"released", "deployed", "shipped", "rolled", "published", "returned",
		"returning", "served", "serving", "sent", "made", "having", "saw", "hit", "applied",
		"changed")
	// vendorStates follow "was" or "were": "Auth0 was down".
	vendorStates = setOf("down", "offline", "unavailable", "unreachable", "degraded", "impaired",
		"unresponsive", "slow", "overloaded", "responsible", "experiencing", "having", "returning",
		"dropping", "failing", "rate-limiting", "throttling", "misbehaving", "broken", "at",
		"to", "the", "unable", "blocking")
	beVerbs = setOf("was", "were", "is", "are", "went", "became", "been", "being")
	// stopWords end the noun phrase around a vendor.
	stopWords = setOf("and", "or", "but", "which", "that", "who", "for", "to", "of", "in", "on",
		"at", "by", "with", "from", "as", "our", "we", "us", "their", "they", "it", "its", "was",
		"were", "is", "are", "be", "been", "not", "no", "saw", "see", "use", "uses", "used",
		"using", "run", "runs", "helped", "support", "team", "engineers", "customers", "this",
		"these", "those", "during", "after", "before", "while", "when", "if", "also", "so")
	// faultPreps place a fault at a vendor: "an outage at Twilio"; an
	// outage "affecting" someone names the victim, not the cause.
	faultPreps       = setOf("in", "at", "of", "from", "by", "on", "with", "within", "inside", "for")
	faultParticiples = setOf("pushed", "released", "shipped", "deployed", "introduced", "caused",
		"made", "issued", "published", "sent", "rolled", "reported")
	auxiliaries = setOf("did", "didn't", "could", "couldn't", "wasn't", "weren't", "would",
		"does", "doesn't", "cannot", "can't")
	objectPreps = setOf("to", "for", "via", "through", "using", "into", "onto", "over", "under",
		"behind", "than", "like", "about", "use", "uses", "chose", "contacted", "asked")
	determiners = setOf("a", "an", "the", "one", "some", "several", "two", "multiple")
	// causes open a cause: "due to", "caused by", "the root cause was".
	causeRe = regexp.MustCompile(`(?i)\b(?:caused\s+by|due\s+to|because(?:\s+of)?|result(?:ed)?\s+(?:of|from)|triggered\s+by|root\s+cause\s+(?:was|is)|stemm(?:ed|ing)\s+from|attributed\s+to|traced\s+(?:back\s+)?to|originated\s+(?:at|in|with|from)|blame[sd]?\s+(?:on)?|fault\s+of|thanks\s+to\s+(?:a|an)|brought\s+down\s+by|taken\s+down\s+by)\s*$`)
	// consequences follow the vendor: "…by DigitalOcean, which caused the
	// outage".
	consequenceRe = regexp.MustCompile(`(?i)^[\s,]*(?:which\s+(?:then\s+)?(?:caused|led\s+to|resulted\s+in|triggered|took|brought|broke|made)|causing|leading\s+to|resulting\s+in|triggering|taking\s+down|bringing\s+down)\b`)
)

// noticeRe is a change made on us without warning.
var noticeRe = regexp.MustCompile(`(?i)\bwithout\s+(?:any\s+|prior\s+|advance\s+|the\s+usual\s+|proper\s+)?(?:notice|warning|notification|announcement)\b`)

// selfBlameRe marks a sentence that puts the cause on our side: "Google
// Cloud Storage errors were caused by our expired credentials".
var selfBlameRe = regexp.MustCompile(`(?i)\b(?:(?:caused\s+by|due\s+to|because\s+of|result\s+of|introduced\s+by|triggered\s+by|traced\s+to)\s+(?:an?\s+|the\s+)?our\b|our\s+(?:own\s+)?(?:mistake|fault|error)\b|on\s+our\s+(?:own\s+)?side\b|not\s+(?:a|an)\s+(?:\w+\s+){0,2}(?:issue|problem|outage|bug)\s+(?:with|at|in|on))`)

// sentenceAround returns the bounds of the sentence holding [start, end):
// a full stop counts only before white space, so "Node.js" and "v2.1" do
// not split one.
func sentenceAround(text string, start, end int) (int, int) {
	from := 0
	for i := start - 1; i >= 0; i-- {
		c := text[i]
		if c == '\n' || c == ';' || (c == '.' || c == '!' || c == '?') && i+1 < len(text) && (text[i+1] == ' ' || text[i+1] == '\n') {
			from = i + 1
			break
		}
	}
	to := len(text)
	for i := end; i < len(text); i++ {
		c := text[i]
		if c == '\n' || c == ';' || (c == '.' || c == '!' || c == '?') && (i+1 == len(text) || text[i+1] == ' ' || text[i+1] == '\n') {
			to = i
			break
		}
	}
	return from, to
}

// blameWordRe splits a sentence into lower-case words with their offsets;
// "us-east-1" and "Cloudflare's" are one word each.
var blameWordRe = regexp.MustCompile(`[\p{L}\p{N}][\p{L}\p{N}'’._-]*[\p{L}\p{N}]|[\p{L}\p{N}]`)

type bword struct {
	text  string // lower case, possessive removed
	comma bool   // a comma, a dash or a colon comes before it
}

func blameWords(s string) ([]bword, [][]int) {
	idx := blameWordRe.FindAllStringIndex(s, -1)
	out := make([]bword, len(idx))
	prev := 0
	for i, m := range idx {
		out[i] = bword{text: bare(strings.ToLower(s[m[0]:m[1]])), comma: strings.ContainsAny(s[prev:m[0]], ",—:")}
		prev = m[1]
	}
	return out, idx
}

// blamed decides whether the mention text[start:end] of a vendor is
// presented as the cause or at fault.
func blamed(text string, start, end int) bool {
	from, to := sentenceAround(text, start, end)
	s := text[from:to]
	ws, idx := blameWords(s)
	a, b := -1, -1 // the mention's first and last word
	for i, m := range idx {
		if m[1]+from > start && m[0]+from < end {
			if a < 0 {
				a = i
			}
			b = i
		}
	}
	if a < 0 {
		return false
	}
	if negated(ws, a) || selfBlameRe.MatchString(s) {
		return false
	}
	if a > 0 && (ws[a-1].text == "our" || ws[a-1].text == "we") {
		return false
	}
	// "our CDN provider, Fastly, …" and "Fastly, our CDN provider, …"
	// stand for one party: look around the whole phrase.
	head, tail := appositive(ws, a, b)
	prefix := text[from:start]
	if head < a {
		prefix = text[from : from+idx[head][0]]
	}
	switch {
	case faultAfter(ws, b), faultBefore(ws, head), head > 0 && faultAdjectives[ws[head-1].text]:
		return true // "a Cloudflare bug", "an outage at Twilio", "a faulty Zscaler update"
	case subject(ws, head) && vendorActs(ws, tail, tail != b || ws[a].comma):
		return true // "Auth0 was down"
	case subject(ws, head) && noticeRe.MatchString(text[end:to]):
		return true // "Google rotated its keys without notice"
	}
	return causeBefore(prefix, ws, head) || consequenceRe.MatchString(text[end:to])
}

// notFaultAfter turns a fault noun into a modifier: "incident response",
// "error tracking", "bug bounty".
var notFaultAfter = setOf("tracking", "tracker", "reporting", "report", "reports", "monitoring",
	"budget", "budgets", "handling", "page", "pages", "log", "logs", "code", "codes", "message",
	"messages", "bounty", "dashboard", "alerts", "detection", "management", "response",
	"review", "reviews", "tickets", "ticket", "channel", "channels", "room", "bridge",
	"commander", "process", "postmortem", "postmortems", "timeline", "manager", "tracker",
	"template", "templates", "board", "boards", "queue", "list")

// trackers are products whose "issues" are tickets, not faults.
var trackers = setOf("github", "gitlab", "bitbucket", "jira", "atlassian", "linear")

// providerWords name a third party's role.
var providerWords = setOf("provider", "vendor", "supplier", "carrier", "isp", "partner", "cdn",
	"host", "registrar", "processor", "platform")

// appositive returns the first word of "our CDN provider, Fastly" and the
// last word of "Fastly, our CDN provider,", or the mention's own bounds.
func appositive(ws []bword, a, b int) (head, tail int) {
	head, tail = a, b
	if a > 0 && ws[a].comma && providerWords[ws[a-1].text] {
		i := a - 1
		for i > 0 && a-1-i < 3 && !ws[i].comma && !stopWords[ws[i-1].text] && !determiners[ws[i-1].text] {
			i--
		}
		if i > 0 && !ws[i].comma && (ws[i-1].text == "our" || determiners[ws[i-1].text]) {
			i--
		}
		head = i
	}
	if j := b + 1; j+1 < len(ws) && ws[j].comma && (ws[j].text == "our" || determiners[ws[j].text]) {
		for k := j + 1; k < len(ws) && k <= j+4 && !ws[k].comma; k++ {
			if providerWords[ws[k].text] && k+1 < len(ws) && ws[k+1].comma {
				tail = k
				break
			}
		}
	}
	return head, tail
}

func isFault(ws []bword, i int) bool {
	if ws[i].text == "event" || ws[i].text == "events" {
		return i > 0 && eventKinds[ws[i-1].text]
	}
	if i+1 < len(ws) && !ws[i+1].comma && notFaultAfter[ws[i+1].text] {
		return false
	}
	if (ws[i].text == "issue" || ws[i].text == "issues") && i > 0 && trackers[ws[i-1].text] {
		return false
	}
	if faultNouns[ws[i].text] {
		return true
	}
	// "a faulty update", "a defective content update"
	for k := i - 1; k >= 0 && k >= i-2 && !ws[k+1].comma; k-- {
		if faultAdjectives[ws[k].text] {
			return true
		}
		if stopWords[ws[k].text] || determiners[ws[k].text] {
			break
		}
	}
	return false
}

// faultAfter: "Cloudflare bug", "Amazon EBS service degradation",
// "Heroku's router degradation".
func faultAfter(ws []bword, b int) bool {
	for j := b + 1; j < len(ws) && j <= b+4; j++ {
		if ws[j].comma || (stopWords[ws[j].text] || determiners[ws[j].text]) && !isFault(ws, j) {
			return false
		}
		if isFault(ws, j) || faultAdjectives[ws[j].text] && j+1 < len(ws) && !ws[j+1].comma {
			return true
		}
	}
	return false
}

// faultBefore: "an outage at Twilio", "a faulty update pushed by
// Microsoft", "the failure of the AWS S3 service".
func faultBefore(ws []bword, a int) bool {
	for j := a - 1; j >= 0 && j >= a-5; j-- {
		if ws[j+1].comma {
			return false
		}
		w := ws[j].text
		switch {
		case faultPreps[w]:
			k := j - 1
			if k >= 0 && faultParticiples[ws[k].text] {
				k--
			}
			return k >= 0 && isFault(ws, k)
		case determiners[w]:
		case stopWords[w]:
			return false
		}
	}
	return false
}

// vendorActs: the vendor, or a thing of theirs, is the subject of a fault:
// "Auth0 was down", "Akamai's edge servers failed", "Stripe returned
// errors", "Cloudflare was responsible".
func vendorActs(ws []bword, b int, apposed bool) bool {
	j := b + 1
	for n := 0; j < len(ws) && n < 3 && !ws[j].comma && !stopWords[ws[j].text] && !determiners[ws[j].text] && !beVerbs[ws[j].text] &&
		!faultVerbs[ws[j].text] && !objectVerbs[ws[j].text] && !auxiliaries[ws[j].text] && !isFault(ws, j); n++ {
		j++
	}
	// "Amazon S3 in us-east-1 experienced …": a region between subject
	// and verb.
	if j+1 < len(ws) && ws[j].text == "in" && strings.ContainsAny(ws[j+1].text, "-0123456789") {
		j += 2
	}
	if j >= len(ws) || ws[j].comma && !(apposed && j == b+1) {
		return false
	}
	w := ws[j].text
	if (w == "had" || w == "has") && j+1 < len(ws) && ws[j+1].text == "been" {
		j, w = j+1, "been"
	}
	if w == "did" || w == "could" || w == "was" && j+1 < len(ws) && ws[j+1].text == "unable" {
		return j+1 < len(ws) && (ws[j+1].text == "not" || ws[j+1].text == "unable")
	}
	if w == "didn't" || w == "couldn't" || w == "failed" || w == "wasn't" && j+1 < len(ws) && vendorStates[ws[j+1].text] {
		return true
	}
	if beVerbs[w] && j+1 < len(ws) {
		n := ws[j+1].text
		if n == "not" || n == "also" {
			return false
		}
		if vendorStates[n] && n != "at" && n != "to" && n != "the" || faultVerbs[n] {
			return true
		}
		if n == "at" || n == "to" || n == "the" {
			return j+2 < len(ws) && (ws[j+2].text == "fault" || ws[j+2].text == "blame" || ws[j+2].text == "cause" || ws[j+2].text == "root")
		}
		if objectVerbs[n] {
			return faultWithin(ws, j+2, 6)
		}
		return n == "experiencing" || n == "having" || n == "returning"
	}
	if faultVerbs[w] {
		return true
	}
	if objectVerbs[w] {
		return faultWithin(ws, j+1, 6)
	}
	return false
}

// subject reports whether the mention starting at word a can be the
// subject of its clause: not the object of a preposition ("customers in
// the AWS us-east-1 region saw errors").
func subject(ws []bword, a int) bool {
	i := a - 1
	for i >= 0 && determiners[ws[i].text] && !ws[i+1].comma {
		i--
	}
	if i < 0 || ws[i+1].comma {
		return true
	}
	// "a certificate rotation by Azure broke …", "an update from
	// CrowdStrike crashed …": the vendor is the agent.
	if ws[i].text == "by" || ws[i].text == "from" && i > 0 && changeNouns[ws[i-1].text] {
		return true
	}
	return !faultPreps[ws[i].text] && !objectPreps[ws[i].text]
}

// changeNouns come from a vendor: "an update from CrowdStrike".
var changeNouns = setOf("update", "updates", "change", "changes", "patch", "release", "push",
	"configuration", "config", "deploy", "deployment", "upgrade", "rollout", "firmware",
	"driver", "signature", "definition", "file", "maintenance")

func faultWithin(ws []bword, from, n int) bool {
	for j := from; j < len(ws) && j < from+n; j++ {
		if j > from && ws[j].comma {
			return false
		}
		if isFault(ws, j) {
			return true
		}
	}
	return false
}

// causeBefore: "due to AWS", "because Let's Encrypt …", "the root cause
// was an Amazon EBS …": a cause opens at most a few words before the
// vendor, with nothing of ours in between.
func causeBefore(prefix string, ws []bword, a int) bool {
	_, idx := blameWords(prefix)
	if len(idx) < a {
		return false
	}
	for j := a; j >= 0 && j >= a-3; j-- {
		cut := len(prefix)
		if j < a {
			cut = idx[j][0]
		}
		if causeRe.MatchString(prefix[:cut]) {
			return true
		}
		if j == 0 || ws[j].comma || stopWords[ws[j-1].text] {
			return false
		}
	}
	return false
}

// negated: "unrelated to the Cloudflare outage", "not in the AWS
// service", "rather than Fastly".
func negated(ws []bword, a int) bool {
	for i := max(0, a-4); i < a; i++ {
		w := ws[i].text
		if w == "unrelated" || w == "unaffected" || w == "rather" || w == "ruled" || w == "nothing" {
			return true
		}
		// a hypothetical: "if AWS has an outage, …"
		if (w == "if" || w == "should" || w == "unless" || w == "whether" || w == "even") && a-i <= 2 {
			return true
		}
		if (w == "not" || w == "no") && i+1 < a+1 {
			n := ws[i+1].text
			if faultPreps[n] || determiners[n] || n == "related" || n == "caused" || n == "due" ||
				n == "because" || n == "evidence" || i+1 == a {
				return true
			}
		}
	}
	return false
}

// providerRe finds third parties that are not on the vendor list by what
// the sentence calls them: "our DNS provider, NetCo," or "NetCo, our
// transit provider".
var providerRe = regexp.MustCompile(`\b(?:provider|vendor|supplier|carrier|ISP|registrar|partner|processor)s?\s*,?\s+(\p{Lu}[\p{L}\p{N}&.-]*(?:\s+\p{Lu}[\p{L}\p{N}&.-]*){0,2})|(\p{Lu}[\p{L}\p{N}&.-]*(?:\s+\p{Lu}[\p{L}\p{N}&.-]*){0,2}),\s+(?:our|a|the)\s+(?:[\w-]+\s+){0,2}(?:provider|vendor|supplier|carrier|ISP|registrar)\b`)

// namedProviders returns the names providerRe finds, leaving out common
// words, incident vocabulary and allowed names.
func (k *Checker) namedProviders(text string) [][2]int {
	var out [][2]int
	for _, m := range providerRe.FindAllStringSubmatchIndex(text, -1) {
		s, e := m[2], m[3]
		if s < 0 {
			s, e = m[4], m[5]
		}
		name := strings.TrimRight(text[s:e], ".")
		e = s + len(name)
		first := strings.ToLower(strings.Fields(name)[0])
		if notNames[first] || commonWords[first] || k.own[first] || name == "" {
			continue
		}
		out = append(out, [2]int{s, e})
	}
	return out
}
