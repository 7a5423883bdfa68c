// Package sso signs staff in through an OpenID Connect provider: the
// authorization code flow with PKCE (S256), state and nonce checked, and
// the ID token verified against the keys the provider publishes, found by
// discovery from the issuer. It turns a provider's answer into an
// Identity with the staff role its claims give; making the account and
// the session is the caller's.
package sso

import (
	"fmt"
	"slices"
	"strings"
)

// Staff roles, from least to most privileged; they are the models' role
// names, repeated so that this package stands alone.
var roleRank = map[string]int{"viewer": 1, "sre": 2, "admin": 3}

// Rule gives Role to a person whose role claim holds Value; the Value "*"
// matches every person the provider signs in.
type Rule struct{ Value, Role string }

// Rules map claim values to staff roles (AMENDS_OIDC_ROLES).
type Rules []Rule

// ParseRules reads "amends-admins=admin,sre=sre,*=viewer": rules separated
// by commas, each a claim value, "=", and a staff role. A value may itself
// hold "=" (the role is after the last one) but not a comma.
func ParseRules(s string) (Rules, error) {
	var rules Rules
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		i := strings.LastIndexByte(part, '=')
		if i <= 0 {
			return nil, fmt.Errorf("want VALUE=ROLE, got %q", part)
		}
		value, role := strings.TrimSpace(part[:i]), strings.TrimSpace(part[i+1:])
		if roleRank[role] == 0 {
			return nil, fmt.Errorf("%q: the role must be admin, sre or viewer, got %q", part, role)
		}
		rules = append(rules, Rule{Value: value, Role: role})
	}
	if len(rules) == 0 {
		return nil, fmt.Errorf("want at least one VALUE=ROLE rule, such as amends-admins=admin,*=viewer")
	}
	return rules, nil
}

// RoleFor is the most privileged role among the rules the claim values
// match, in whatever order the rules are written, so that a person in
// both "sre" and "amends-admins" is an admin; "" when none matches.
func (rs Rules) RoleFor(values []string) string {
	best := ""
	for _, r := range rs {
		if roleRank[r.Role] <= roleRank[best] {
			continue
		}
		if r.Value == "*" || slices.Contains(values, r.Value) {
			best = r.Role
		}
	}
	return best
}
