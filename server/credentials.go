package server

import "sync"

// credentialCache remembers what an API token or a session cookie
// resolved to for as long as the credentials version of the database
// (models.DB.CredentialsVersion) is unchanged: ordinary writes leave it
// alone, while revoking a token, signing out or changing a user moves it
// once committed, so they take effect on the next request.
type credentialCache[V any] struct {
	mu      sync.Mutex
	version int64
	entries map[string]V
}

const maxCachedCredentials = 10_000

func (cc *credentialCache[V]) get(secret string, version int64) (V, bool) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.version != version {
		cc.version, cc.entries = version, nil
	}
	v, ok := cc.entries[secret]
	return v, ok
}

func (cc *credentialCache[V]) put(secret string, version int64, v V) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.version != version || cc.entries == nil || len(cc.entries) >= maxCachedCredentials {
		cc.version, cc.entries = version, map[string]V{}
	}
	cc.entries[secret] = v
}
