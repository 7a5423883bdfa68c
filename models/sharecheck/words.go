package sharecheck

// notNames is the vocabulary of incident write-ups that shows up
// capitalised at the start of a timeline line or a sentence ("Alert fired",
// "Postgres restarted") and is never a person's name.
var notNames = setOf(
	// function words, pronouns and sentence openers
	"the", "this", "that", "these", "those", "there", "then", "they", "their", "our", "we", "you",
	"she", "he", "his", "her", "its", "it", "all", "some", "most", "many", "several", "both",
	"each", "every", "any", "one", "two", "three", "first", "second", "third", "next", "last",
	"after", "before", "during", "once", "when", "while", "meanwhile", "finally", "later",
	"still", "also", "again", "about", "around", "approximately", "roughly", "shortly", "soon",
	"everyone", "someone", "nobody", "everything", "nothing", "customers", "customer",
	"users", "user", "team", "teams", "engineer", "engineers", "staff", "responders",
	// times and dates
	"utc", "gmt", "today", "yesterday", "tomorrow", "monday", "tuesday", "wednesday",
	"thursday", "friday", "saturday", "sunday", "january", "february", "march", "july",
	"september", "october", "november", "december", "morning", "afternoon", "evening", "night",
	// incident vocabulary
	"alert", "alerts", "alarm", "alarms", "pager", "page", "paged", "incident", "incidents",
	"on-call", "oncall", "sre", "ops", "support", "status", "statuspage", "engineering",
	"deploy", "deploys", "deployment", "release", "rollback", "rollout", "roll", "build",
	"canary", "traffic", "latency", "errors", "error", "timeouts", "storage", "database",
	"network", "networking", "dns", "cdn", "certificate", "cert", "cluster", "node", "nodes",
	"primary", "replica", "replicas", "failover", "recovery", "backup", "backups",
	"replication", "queue", "queues", "cache", "disk", "disks", "memory", "load", "health",
	"healthcheck", "checks", "check", "config", "configuration", "change", "changes", "fix",
	"patch", "hotfix", "mitigation", "investigation", "impact", "root", "cause", "service",
	"services", "api", "web", "app", "login", "auth", "requests", "queries", "jobs", "job",
	"cron", "scheduler", "worker", "workers", "automation", "autoscaler", "dashboard",
	"dashboards", "metrics", "logs", "tracing", "synthetic", "probe", "probes", "uptime",
	"upstream", "downstream", "region", "zone", "internal", "external", "manual", "manually",
	"resolved", "mitigated", "monitoring", "detection", "escalation", "postmortem", "update",
	"updates", "payments", "billing", "checkout", "search", "ingest", "pipeline", "pipelines",
	"gateway", "proxy", "edge", "origin", "vendor", "provider", "partner", "ticket", "bridge",
	"call", "chat", "war", "room", "declared", "ack", "acked", "escalated", "sev", "severity",
	// functions and organisations
	"comms", "communications", "lead", "legal", "security", "management", "leadership",
	"marketing", "sales", "corp", "inc", "ltd", "llc", "gmbh", "plc", "labs", "group", "bank",
	"systems", "technologies", "solutions",
	// tools and technologies that read like names
	"grafana", "prometheus", "kubernetes", "postgres", "postgresql", "mysql", "redis",
	"kafka", "nginx", "envoy", "istio", "terraform", "ansible", "puppet", "chef", "vault",
	"consul", "jenkins", "docker", "helm", "argo", "cassandra", "elasticsearch", "memcached",
	"varnish", "ceph", "linkerd", "sentry", "splunk", "slack", "zoom", "jira", "confluence",
	"github", "gitlab", "spinnaker", "airflow", "celery", "sidekiq", "haproxy", "traefik",
	"caddy", "opsgenie", "pagerduty", "datadog", "linux", "windows", "java", "python", "rails",
)
