package sharecheck

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Config is what an admin tunes. The zero value checks with built-in rules
// only; DefaultConfig adds the usual internal suffixes and vendors.
type Config struct {
	// InternalSuffixes are DNS suffixes of internal hosts (".internal").
	InternalSuffixes []string `json:"internal_suffixes"`
	// HostPatterns are extra regular expressions (RE2 syntax) that match
	// internal host names.
	HostPatterns []string `json:"host_patterns"`
	// Vendors are third parties that customer text should not blame.
	// Matched case-insensitively (ASCII letters) on word boundaries, and
	// reported only where the sentence presents them as the cause or at
	// fault; a neutral mention ("we run on Google Cloud") is fine.
	Vendors []string `json:"vendors"`
	// Allow holds product names and other words that are never flagged,
	// matched like Vendors.
	Allow []string `json:"allow"`
	// TicketPrefixes are project keys of the internal tracker ("OPS" flags
	// "OPS-7"); keys of that shape are already flagged without them when the
	// number has two or more digits.
	TicketPrefixes []string `json:"ticket_prefixes"`
	// OwnNames are the names of the author's own organisation and its
	// products, matched like Vendors: it is never a vendor to blame, and
	// its words are never taken for a person's name.
	OwnNames []string `json:"own_names"`
}

// DefaultConfig is a sensible starting point for a new installation.
func DefaultConfig() Config {
	return Config{
		InternalSuffixes: []string{".internal", ".corp", ".local", ".lan", ".intranet"},
		Vendors: []string{
			"AWS", "Amazon Web Services", "Amazon", "Google Cloud", "GCP", "Google",
			"Microsoft Azure", "Azure", "Microsoft", "IBM Cloud", "IBM", "Oracle Cloud",
			"Alibaba Cloud", "Tencent Cloud", "Cloudflare", "Akamai", "Fastly", "CloudFront",
			"Imperva", "StackPath", "Limelight", "Edgio", "Let's Encrypt", "DigiCert",
			"Sectigo", "GlobalSign", "Entrust", "Equinix", "Digital Realty", "CoreSite",
			"Interxion", "Hetzner", "OVH", "OVHcloud", "DigitalOcean", "Linode",
			"Vultr", "Scaleway", "Rackspace", "Heroku", "Vercel", "Netlify", "Fly.io",
			"Datadog", "New Relic", "Splunk", "Sumo Logic", "PagerDuty", "Opsgenie",
			"Twilio", "Vonage", "SendGrid", "Mailgun", "Mailchimp", "SparkPost", "Okta",
			"Auth0", "OneLogin", "Stripe", "PayPal", "Braintree", "Adyen", "Zayo", "Lumen",
			"CenturyLink", "Level 3", "Cogent", "NTT", "Telia", "GTT", "Hurricane Electric",
			"Verizon", "Comcast", "AT&T", "Vodafone", "GoDaddy", "Verisign", "NS1", "Dyn",
			"UltraDNS", "Neustar", "Route 53", "GitHub", "GitLab", "Bitbucket", "Atlassian",
			"CircleCI", "Travis CI", "Docker Hub", "Slack", "Zoom", "Salesforce",
			"MongoDB Atlas", "Confluent", "Elastic Cloud", "CrowdStrike", "SentinelOne",
			"Zscaler", "Palo Alto Networks", "Fortinet", "Cisco", "Juniper", "Arista",
			"Broadcom", "Intel", "Nvidia", "AMD", "Dell", "HPE", "Lenovo", "Supermicro",
			"VMware", "Red Hat", "Citrix", "F5", "Nutanix", "NetApp", "Pure Storage",
			"Samsung", "Seagate", "Western Digital", "Micron", "Mellanox", "Apple", "Facebook",
			"Twitter", "Shopify", "Quay", "Comodo", "Symantec", "T-Mobile",
			"Telstra", "Deutsche Telekom", "Telefonica", "Windstream", "PCCW", "Zendesk",
			"Intercom", "HubSpot", "ServiceNow", "Mixpanel", "LaunchDarkly", "Algolia",
			"Databricks", "Aiven", "Cloudinary", "Discord", "Firebase", "Supabase",
			"PlanetScale", "Backblaze", "Mailjet", "Mandrill", "Sinch", "MessageBird",
			"Plivo", "Telnyx", "Plaid", "Worldpay", "Klarna", "Visa", "Mastercard",
			"American Express", "Fiserv", "S3", "EC2", "EBS", "RDS", "DynamoDB", "SQS",
			"Kinesis", "ELB", "BigQuery", "Cosmos DB", "Azure AD", "Entra ID",
		},
	}
}

// Checker is a compiled Config, safe for concurrent use.
type Checker struct {
	suffixHost   *regexp.Regexp // nil without suffixes
	suffixes     []string       // lower case, with the leading dot
	hostPatterns []*regexp.Regexp
	vendors      phraseSet
	allow        phraseSet
	ownPhrases   phraseSet
	// own holds the lower-case words of OwnNames.
	own     map[string]bool
	tickets *regexp.Regexp // nil without ticket prefixes
	// notNames holds vendors and allowed words, which the timeline reader
	// must not take for people.
	notNames map[string]bool
}

// Compile validates the configuration and prepares it for Check. It fails
// when a host pattern is not a valid regular expression, naming the pattern.
func (c Config) Compile() (*Checker, error) {
	k, errs := c.compile()
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return k, nil
}

// Check is Compile then Checker.Check, for one-off calls. A host pattern
// that does not compile is skipped; validate admin input with Compile when
// it is saved.
func Check(doc Document, cfg Config) []Finding {
	k, _ := cfg.compile()
	return k.Check(doc)
}

func (c Config) compile() (*Checker, []error) {
	k := &Checker{notNames: map[string]bool{}, own: map[string]bool{}}
	for _, s := range c.InternalSuffixes {
		if s = strings.ToLower(strings.Trim(strings.TrimSpace(s), ".")); s != "" {
			k.suffixes = append(k.suffixes, "."+s)
		}
	}
	if len(k.suffixes) > 0 {
		quoted := make([]string, len(k.suffixes))
		for i, s := range k.suffixes {
			quoted[i] = regexp.QuoteMeta(s)
		}
		k.suffixHost = regexp.MustCompile(`(?i)\b` + hostLabels + `(?:` + strings.Join(quoted, "|") + `)\b`)
	}
	var errs []error
	for _, p := range c.HostPatterns {
		re, err := regexp.Compile(p)
		if err != nil {
			errs = append(errs, fmt.Errorf("host pattern %q: %w", p, err))
			continue
		}
		k.hostPatterns = append(k.hostPatterns, re)
	}
	k.vendors = newPhraseSet(c.Vendors)
	k.allow = newPhraseSet(c.Allow)
	k.ownPhrases = newPhraseSet(c.OwnNames)
	for _, w := range c.OwnNames {
		for _, part := range strings.Fields(w) {
			k.own[strings.ToLower(part)] = true
		}
	}
	if prefixes := quoteAll(c.TicketPrefixes); len(prefixes) > 0 {
		k.tickets = regexp.MustCompile(`\b(?:` + strings.Join(prefixes, "|") + `)-\d+\b`)
	}
	for _, w := range append(append([]string{}, c.Vendors...), c.Allow...) {
		for _, part := range strings.Fields(w) {
			k.notNames[strings.ToLower(part)] = true
		}
	}
	return k, errs
}

func quoteAll(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, regexp.QuoteMeta(s))
		}
	}
	return out
}
