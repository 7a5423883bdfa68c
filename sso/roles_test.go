package sso

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseRules(t *testing.T) {
	scenarios := []struct {
		in      string
		want    Rules
		problem string
	}{
		{in: "amends-admins=admin, sre=sre ,*=viewer",
			want: Rules{{"amends-admins", "admin"}, {"sre", "sre"}, {"*", "viewer"}}},
		{in: "cn=ops=sre", want: Rules{{"cn=ops", "sre"}}},
		{in: "", problem: "at least one"},
		{in: "admins", problem: "want VALUE=ROLE"},
		{in: "=admin", problem: "want VALUE=ROLE"},
		{in: "ops=customer", problem: "admin, sre or viewer"},
		{in: "ops=root", problem: "admin, sre or viewer"},
	}
	for _, sc := range scenarios {
		got, err := ParseRules(sc.in)
		if sc.problem != "" {
			if err == nil || !strings.Contains(err.Error(), sc.problem) {
				t.Errorf("%q: error %v, want one saying %q", sc.in, err, sc.problem)
			}
			continue
		}
		if err != nil || !slices.Equal(got, sc.want) {
			t.Errorf("%q: %v, %v; want %v", sc.in, got, err, sc.want)
		}
	}
}

// The most privileged match wins, whatever the order of the rules.
func TestRoleFor(t *testing.T) {
	rules, err := ParseRules("*=viewer,sre=sre,amends-admins=admin")
	if err != nil {
		t.Fatal(err)
	}
	noStar, _ := ParseRules("sre=sre,amends-admins=admin")
	scenarios := []struct {
		rules  Rules
		values []string
		want   string
	}{
		{rules, []string{"amends-admins", "sre"}, "admin"},
		{rules, []string{"sre"}, "sre"},
		{rules, []string{"marketing"}, "viewer"},
		{rules, nil, "viewer"},
		{noStar, []string{"marketing"}, ""},
		{noStar, []string{"SRE"}, ""}, // values match exactly
		{noStar, []string{"sre", "amends-admins"}, "admin"},
	}
	for _, sc := range scenarios {
		if got := sc.rules.RoleFor(sc.values); got != sc.want {
			t.Errorf("%v with %q: %q, want %q", sc.rules, sc.values, got, sc.want)
		}
	}
}

func TestClaimValues(t *testing.T) {
	claims := map[string]any{
		"groups":                   []any{"a", 7, "b"},
		"role":                     "admins",
		"realm_access":             map[string]any{"roles": []any{"sre"}},
		"https://example.com/team": []any{"x"},
	}
	scenarios := map[string][]string{
		"groups": {"a", "b"}, "role": {"admins"}, "realm_access.roles": {"sre"},
		"https://example.com/team": {"x"}, "missing": nil, "role.deeper": nil,
	}
	for path, want := range scenarios {
		if got := claimValues(claims, path); !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", path, got, want)
		}
	}
}

// A flow cookie opens only with its key, unaltered and before it expires.
func TestFlowCookie(t *testing.T) {
	s, _ := newSealer([]byte("key one"))
	other, _ := newSealer([]byte("key two"))
	now := time.Now()
	f := flow{State: "st", Nonce: "no", Verifier: "ve", Next: "/items", Expires: now.Add(FlowTTL).Unix()}
	sealed, err := s.seal(f)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.open(sealed, now); err != nil || got != f {
		t.Fatalf("open: %+v, %v", got, err)
	}
	flipped := []byte(sealed)
	flipped[len(flipped)/2] ^= 1
	for name, c := range map[string]string{"another key": "", "altered": string(flipped), "empty": "", "garbage": "%%%"} {
		opener := s
		if name == "another key" {
			opener, c = other, sealed
		}
		if _, err := opener.open(c, now); err == nil {
			t.Errorf("%s: opened", name)
		}
	}
	if _, err := s.open(sealed, now.Add(FlowTTL+time.Second)); err == nil {
		t.Error("an expired flow opened")
	}
}
