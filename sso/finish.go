package sso

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Identity is the person a provider signed in, with the role its claims
// give (never ""; a person matching no rule is a Failure).
type Identity struct {
	Issuer, Subject string
	Email           string
	EmailVerified   bool
	Name            string
	Role            string
}

// Failure is a sign-in the callback refuses: Message is for the person,
// Err for the log, Status for the answer.
type Failure struct {
	Status  int
	Message string
	Err     error
}

func (f *Failure) Error() string { return f.Err.Error() }
func (f *Failure) Unwrap() error { return f.Err }

func (c *Client) fail(status int, msg string, err error) *Failure {
	return &Failure{Status: status, Message: msg, Err: err}
}

// startAgain is what most refusals tell the person: nothing they can fix
// but to start over.
func (c *Client) startAgain(why string) string {
	return why + " Start again with \u201cSign in with " + c.cfg.Name + "\u201d."
}

// Finish completes a sign-in at the callback: the browser's flow cookie
// and the query the provider sent it back with. It checks the state, swaps
// the code (with the PKCE verifier) for tokens, verifies the ID token
// (signature by the provider's published keys, issuer, audience, expiry)
// and its nonce, and maps the role claim to a staff role. It returns the
// person and where to go next; every refusal is a *Failure.
func (c *Client) Finish(ctx context.Context, cookie string, q url.Values) (*Identity, string, error) {
	d, err := c.setup(ctx)
	if err != nil {
		return nil, "", err
	}
	if e := q.Get("error"); e != "" {
		desc := truncate(q.Get("error_description"), 200)
		return nil, "", c.fail(http.StatusUnauthorized, c.startAgain(fmt.Sprintf("%s did not sign you in (%s).", c.cfg.Name, truncate(e, 60))),
			fmt.Errorf("provider error %q: %s", e, desc))
	}
	f, err := d.sealer.open(cookie, time.Now())
	if err != nil {
		return nil, "", c.fail(http.StatusBadRequest, c.startAgain("This sign-in expired, or was started in another browser."), err)
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(f.State)) != 1 {
		return nil, "", c.fail(http.StatusBadRequest, c.startAgain("This sign-in does not match the one this browser started."),
			errors.New("state does not match the flow cookie"))
	}
	code := q.Get("code")
	if code == "" {
		return nil, "", c.fail(http.StatusBadRequest, c.startAgain(c.cfg.Name+" sent no authorization code."), errors.New("no code"))
	}
	ctx, cancel := context.WithTimeout(context.WithValue(ctx, oauth2.HTTPClient, c.http), callbackTimeout)
	defer cancel()
	id, err := c.exchange(ctx, d, code, f)
	if err != nil {
		return nil, "", err
	}
	return id, f.Next, nil
}

// exchange swaps the code for tokens and reads the verified ID token.
func (c *Client) exchange(ctx context.Context, d *discovered, code string, f flow) (*Identity, error) {
	tok, err := d.oauth.Exchange(ctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			// The provider's own words may repeat the code: only its
			// error code is logged.
			status := 0
			if re.Response != nil {
				status = re.Response.StatusCode
			}
			return nil, c.fail(http.StatusUnauthorized, c.startAgain(c.cfg.Name+" did not accept this sign-in; its code may have been used already."),
				fmt.Errorf("code exchange refused: %q (HTTP %d)", re.ErrorCode, status))
		}
		return nil, c.fail(http.StatusBadGateway, c.cfg.Name+" could not be reached to finish the sign-in. Try again in a moment.",
			fmt.Errorf("code exchange: %w", err))
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, c.fail(http.StatusBadGateway, c.startAgain(c.cfg.Name+" sent no ID token."), errors.New("no id_token in the token response"))
	}
	notVerified := c.startAgain("The answer from " + c.cfg.Name + " could not be verified, so amends did not sign you in.")
	it, err := d.verifier.Verify(ctx, raw)
	if err != nil {
		return nil, c.fail(http.StatusUnauthorized, notVerified, fmt.Errorf("verify the ID token: %w", err))
	}
	if it.Nonce == "" || subtle.ConstantTimeCompare([]byte(it.Nonce), []byte(f.Nonce)) != 1 {
		return nil, c.fail(http.StatusUnauthorized, notVerified, errors.New("the ID token's nonce does not match the flow's"))
	}
	var claims map[string]any
	if err := it.Claims(&claims); err != nil {
		return nil, c.fail(http.StatusUnauthorized, notVerified, fmt.Errorf("read the ID token's claims: %w", err))
	}
	// With more than one audience, the token must have been issued to
	// amends (OpenID Connect Core 3.1.3.7).
	if azp, _ := claims["azp"].(string); len(it.Audience) > 1 && azp != c.cfg.ClientID {
		return nil, c.fail(http.StatusUnauthorized, notVerified, fmt.Errorf("azp %q is not this client", azp))
	}
	id := &Identity{Issuer: c.cfg.Issuer, Subject: it.Subject, Email: stringClaim(claims, "email"),
		EmailVerified: boolClaim(claims, "email_verified"), Name: stringClaim(claims, "name")}
	if id.Name == "" {
		id.Name = stringClaim(claims, "preferred_username")
	}
	values := claimValues(claims, c.cfg.RoleClaim)
	if id.Role = c.cfg.Rules.RoleFor(values); id.Role == "" {
		return nil, c.fail(http.StatusForbidden,
			fmt.Sprintf("You signed in at %s, but no rule gives your account a role in amends, so amends does not let you in. Ask an administrator of amends to map one of your groups to a role.", c.cfg.Name),
			fmt.Errorf("subject %s: no role rule matches %s=%q", it.Subject, c.cfg.RoleClaim, truncateList(values, 20)))
	}
	return id, nil
}

func stringClaim(claims map[string]any, name string) string {
	s, _ := claims[name].(string)
	return s
}

// boolClaim reads a boolean claim; some providers send "true" as a string.
func boolClaim(claims map[string]any, name string) bool {
	switch v := claims[name].(type) {
	case bool:
		return v
	case string:
		return v == "true"
	}
	return false
}

// maxClaimValues bounds how many values of the role claim are read.
const maxClaimValues = 1000

// claimValues reads the role claim at a dotted path: a string, or a list
// of strings (others are ignored).
func claimValues(claims map[string]any, path string) []string {
	// A namespaced claim ("https://example.com/groups") is read whole.
	v, ok := claims[path]
	if !ok {
		v = any(claims)
		for key := range strings.SplitSeq(path, ".") {
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[key]
		}
	}
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, min(len(v), maxClaimValues))
		for _, x := range v[:min(len(v), maxClaimValues)] {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

func truncateList(v []string, n int) []string {
	return slices.Clip(v[:min(len(v), n)])
}
