package sharecheck

import (
	"regexp"
	"strings"
)

// hostLabels matches one or more dot-separated DNS labels.
const hostLabels = `[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*`

// namedHostRe finds lower-case hyphenated names such as "db-prod-03" or
// "prod-db01.eu1"; isNamedHost then decides whether one is a host.
var namedHostRe = regexp.MustCompile(`\b[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\b`)

var (
	// envTokens mark a name as belonging to an environment.
	envTokens = setOf("prod", "prd", "production", "staging", "stg", "dev", "qa",
		"uat", "preprod", "canary", "sandbox", "perf", "gprd", "gstg", "mgmt", "int")
	// roleTokens are what machines are named after.
	roleTokens = setOf("db", "pg", "pgsql", "postgres", "mysql", "mongo", "redis", "cache",
		"memcache", "kafka", "zk", "etcd", "es", "elastic", "web", "app", "api", "worker",
		"node", "lb", "haproxy", "nginx", "proxy", "gw", "edge", "ingress", "mq", "rabbit",
		"nats", "queue", "batch", "cron", "search", "vault", "consul", "k8s", "kube", "master",
		"replica", "primary", "ns", "dns", "mail", "smtp", "bastion", "vpn", "ldap", "nfs",
		"ceph", "osd", "storage", "minio", "log", "logs", "metrics", "prom", "ci", "runner",
		"build", "jenkins", "file", "fs", "nas", "stor", "patroni", "pgbouncer", "sidekiq", "gitaly",
		"router", "rtr", "sw", "fw", "core", "spine", "leaf", "tor", "mx", "srv", "server", "host",
		"hv", "vm", "compute", "bastion", "jump", "backup", "bkp", "mon", "broker", "es",
		"elasticsearch", "rabbitmq", "memcached", "lb", "varnish", "sql", "mssql", "oracle")
	// privateEnvs open names of environments customers never use;
	// "dev", "sandbox" and "canary" are often public (dev.azure.com).
	privateEnvs = setOf("staging", "stg", "qa", "uat", "preprod", "gstg", "gprd")
	// pairRoles name a machine with an environment and no number:
	// "prod-db", "redis-staging", "db.prod".
	pairRoles = setOf("db", "pg", "mysql", "postgres", "redis", "mongo", "kafka", "es", "web", "app",
		"api", "lb", "proxy", "cache", "worker", "mq", "k8s", "sql", "rabbitmq", "etcd")
	// fileExtensions end file names such as "config.prod.yaml".
	fileExtensions = setOf("yaml", "yml", "json", "js", "ts", "py", "go", "rb", "conf", "cfg",
		"ini", "toml", "env", "sh", "txt", "md", "log", "xml", "html", "css", "lock", "tf", "sql",
		"tfvars", "properties", "jar", "zip", "gz", "tar", "rs", "java", "php", "cs")
	// soloRoles may stand alone before a number ("db1", "web01"); the
	// others would catch versions such as "node20" or "es2015", and "web2"
	// and "web3" are words.
	soloRoles = regexp.MustCompile(`^(?:(?:db|pg|mysql|sql|redis|cache|lb|proxy|worker|mq|etcd|kafka|zk|nfs|ns|mx|smtp|mongo|rabbit|rabbitmq|haproxy|bastion|jump|backup|gitaly|file|fs|nas|router|rtr|sw|fw|srv|server|host|vm|hv|esx|compute|app|api)\d{1,3}|web(?:[14-9]|\d{2,3}))[a-z]?$`)
	digitsRe  = regexp.MustCompile(`^\d{1,4}[a-z]?$`)
	roleNumRe = regexp.MustCompile(`^([a-z]+)\d{2,}[a-z]?$`)
	// awsHostRe is a cloud machine named after its address: "ip-10-0-1-23".
	awsHostRe = regexp.MustCompile(`^ip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}$`)
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// findHosts reports names under an internal suffix, names matching the
// admin's patterns, and machine-style names.
func (k *Checker) findHosts(text string) []span {
	var out []span
	add := func(start, end int) {
		out = append(out, span{start, end, KindInternalHost, "an internal service"})
	}
	if k.suffixHost != nil {
		for _, m := range k.suffixHost.FindAllStringIndex(text, -1) {
			if hostEnds(text, m[0], m[1]) {
				add(m[0], m[1])
			}
		}
	}
	for _, re := range k.hostPatterns {
		for _, m := range re.FindAllStringIndex(text, -1) {
			add(m[0], m[1])
		}
	}
	for _, m := range namedHostRe.FindAllStringIndex(text, -1) {
		if hostEnds(text, m[0], m[1]) && isNamedHost(text[m[0]:m[1]]) {
			add(m[0], m[1])
		}
	}
	return out
}

// hostEnds rejects matches that continue as a longer name ("a.local.example")
// or sit inside a path or an address.
func hostEnds(text string, start, end int) bool {
	if b := before(text, start); b == '.' || b == '-' || b == '@' {
		return false
	}
	b := after(text, end)
	return b != '-' && !(b == '.' && isAlnum(after(text, end+1)))
}

// isNamedHost wants a machine number ("-03", "db01") together with an
// environment or role token, so that "us-east-1", "x86-64", "covid-19" and
// "top-10" stay prose.
func isNamedHost(name string) bool {
	labels := strings.Split(name, ".")
	if len(labels) > 1 {
		last := labels[len(labels)-1]
		if fileExtensions[last] {
			return false
		}
		for _, l := range labels[1:] {
			if l != "" && strings.Trim(l, "0123456789") == "" {
				return false // a version: "redis-6.2", "k8s-1.29"
			}
		}
		if envLabel(labels) {
			return true
		}
	}
	first := labels[0]
	if awsHostRe.MatchString(first) {
		return true
	}
	parts := strings.Split(first, "-")
	if len(parts) == 1 {
		return soloRoles.MatchString(first)
	}
	numbered, tagged, env, role := false, false, false, false
	for i, p := range parts {
		if i > 0 && digitsRe.MatchString(p) {
			numbered = true
		}
		if m := roleNumRe.FindStringSubmatch(p); m != nil && roleTokens[m[1]] {
			numbered, tagged = true, true
		}
		if envTokens[p] || roleTokens[p] {
			tagged = true
		}
		env = env || envTokens[p]
		role = role || pairRoles[p]
	}
	return numbered && tagged || env && role
}

// envLabel reports whether a dotted name has an environment among its
// labels after a machine's ("db.prod", "api.staging.northwind.example"), or
// opens with a private one ("staging.northwind.example").
func envLabel(labels []string) bool {
	if len(labels) == 2 {
		return pairRoles[labels[0]] && envTokens[labels[1]]
	}
	if privateEnvs[labels[0]] {
		return true // "staging.northwind.example"
	}
	for _, l := range labels[1 : len(labels)-1] {
		if envTokens[l] {
			return true
		}
	}
	return false
}
