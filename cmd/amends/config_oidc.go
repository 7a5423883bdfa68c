package main

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/amendsdev/amends/sso"
)

// oidcSettings are the settings of staff sign-in through an OpenID
// Connect provider, and of password sign-in beside it.
type oidcSettings struct {
	Issuer, ClientID, ClientSecret string
	RoleClaim, Roles, Name, Scopes string
	// PasswordLogin is "on" (the default) or "off": off leaves staff only
	// the provider; customer users, who are not in the company's
	// provider, keep their passwords.
	PasswordLogin string

	rules        sso.Rules
	passwordsOff bool
}

func loadOIDCSettings() (oidcSettings, error) {
	o := oidcSettings{
		Issuer:        strings.TrimSpace(env("AMENDS_OIDC_ISSUER", "")),
		ClientID:      strings.TrimSpace(env("AMENDS_OIDC_CLIENT_ID", "")),
		RoleClaim:     strings.TrimSpace(env("AMENDS_OIDC_ROLE_CLAIM", "groups")),
		Roles:         env("AMENDS_OIDC_ROLES", ""),
		Name:          strings.TrimSpace(env("AMENDS_OIDC_NAME", "")),
		Scopes:        env("AMENDS_OIDC_SCOPES", strings.Join(sso.DefaultScopes, " ")),
		PasswordLogin: strings.TrimSpace(env("AMENDS_PASSWORD_LOGIN", "on")),
	}
	var err error
	o.ClientSecret, err = secret("AMENDS_OIDC_CLIENT_SECRET")
	return o, err
}

// validate checks the settings, naming the one that is wrong.
func (o *oidcSettings) validate() error {
	switch strings.ToLower(o.PasswordLogin) {
	case "on":
		o.passwordsOff = false
	case "off":
		o.passwordsOff = true
	default:
		return fmt.Errorf("AMENDS_PASSWORD_LOGIN: want on or off, got %q", o.PasswordLogin)
	}
	if o.Issuer == "" {
		for _, s := range []struct{ name, v string }{
			{"AMENDS_OIDC_CLIENT_ID", o.ClientID}, {"AMENDS_OIDC_CLIENT_SECRET", o.ClientSecret}, {"AMENDS_OIDC_ROLES", o.Roles},
		} {
			if s.v != "" {
				return fmt.Errorf("%s is set but AMENDS_OIDC_ISSUER is not: set the provider's issuer URL too", s.name)
			}
		}
		if o.passwordsOff {
			return fmt.Errorf("AMENDS_PASSWORD_LOGIN=off needs an identity provider (AMENDS_OIDC_ISSUER), or no staff could sign in")
		}
		return nil
	}
	u, err := url.Parse(o.Issuer)
	if err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && loopback(u.Hostname()))) {
		return fmt.Errorf("AMENDS_OIDC_ISSUER: want the provider's https URL (http only on this machine), got %q", o.Issuer)
	}
	if o.ClientID == "" {
		return fmt.Errorf("AMENDS_OIDC_CLIENT_ID: the client id amends has at %s is required", o.Issuer)
	}
	if o.RoleClaim == "" {
		return fmt.Errorf("AMENDS_OIDC_ROLE_CLAIM: want a claim name such as groups, got nothing")
	}
	if o.rules, err = sso.ParseRules(o.Roles); err != nil {
		return fmt.Errorf("AMENDS_OIDC_ROLES: %w", err)
	}
	return nil
}

func loopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}

// client is the provider's client, or nil when none is configured;
// secrets keeps the key of its flow cookies.
func (o *oidcSettings) client(baseURL string, secrets sso.Secrets) (*sso.Client, error) {
	if o.Issuer == "" {
		return nil, nil
	}
	c, err := sso.New(sso.Config{Issuer: o.Issuer, ClientID: o.ClientID, ClientSecret: o.ClientSecret,
		RedirectURL: baseURL + "/login/oidc/callback", Scopes: strings.Fields(o.Scopes),
		RoleClaim: o.RoleClaim, Rules: o.rules, Name: o.Name}, secrets)
	if err != nil {
		return nil, fmt.Errorf("AMENDS_OIDC_*: %w", err)
	}
	return c, nil
}
