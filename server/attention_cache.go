package server

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sync/singleflight"

	"github.com/amendsdev/amends/models"
)

// attentionCache keeps the staff start page's data while the database is
// unchanged. The counts run over every open item, so at scale they cost
// a second or more: concurrent requests share one computation
// (singleflight), and later ones reuse it until the next commit.
type attentionCache struct {
	group singleflight.Group
	mu    sync.Mutex
	key   string
	value *models.Attention
}

// attention is the same for every staff user; customers never get here.
func (s *Server) attention(ctx context.Context, u *models.User, today models.Date) (*models.Attention, error) {
	version, cacheable := s.store.DB().Version(ctx)
	if !cacheable {
		return s.store.Attention(ctx, u, today)
	}
	key := fmt.Sprintf("%d|%s", version, today)
	ac := &s.attentionCache
	ac.mu.Lock()
	if ac.key == key {
		v := ac.value
		ac.mu.Unlock()
		return v, nil
	}
	ac.mu.Unlock()
	v, err, _ := ac.group.Do(key, func() (any, error) {
		// Detached from the first caller's request: if it goes away, the
		// others still want the answer.
		a, err := s.store.Attention(context.WithoutCancel(ctx), u, today)
		if err == nil {
			ac.mu.Lock()
			ac.key, ac.value = key, a
			ac.mu.Unlock()
		}
		return a, err
	})
	if err != nil {
		return nil, err
	}
	return v.(*models.Attention), nil
}
