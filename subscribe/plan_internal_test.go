package subscribe

import (
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
)

// TestPlanBursts: which bursts go out, and how far the cursor moves.
func TestPlanBursts(t *testing.T) {
	now := time.Date(2027, 1, 4, 10, 0, 0, 0, time.UTC)
	ev := func(id, pm uint, ago time.Duration) models.AuditEvent {
		return models.AuditEvent{ID: id, PostmortemID: pm, CreatedAt: now.Add(-ago)}
	}
	scenarios := []struct {
		name       string
		events     []models.AuditEvent
		done       map[uint]uint
		wantReady  []uint
		wantCursor uint
	}{
		{"quiet for a minute", []models.AuditEvent{ev(1, 7, 90*time.Second), ev(2, 7, 61*time.Second)}, nil, []uint{7}, 2},
		{"still busy", []models.AuditEvent{ev(1, 7, 90*time.Second), ev(2, 7, 40*time.Second)}, nil, nil, 0},
		{"busy, not settled", []models.AuditEvent{ev(1, 7, 90*time.Second), ev(2, 7, 10*time.Second)}, nil, nil, 0},
		{"five minutes at the latest", []models.AuditEvent{ev(1, 7, 5*time.Minute), ev(2, 7, 40*time.Second), ev(3, 7, 5*time.Second)}, nil, []uint{7}, 2},
		{"held by another", []models.AuditEvent{ev(1, 8, 50*time.Second), ev(2, 7, 2*time.Minute), ev(3, 8, 45*time.Second)}, nil, []uint{7}, 0},
		{"sent already", []models.AuditEvent{ev(1, 8, 50*time.Second), ev(2, 7, 2*time.Minute), ev(3, 8, 45*time.Second)}, map[uint]uint{7: 2}, nil, 0},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			p := planBursts(sc.events, sc.done, 0, now)
			var ready []uint
			for _, b := range p.ready {
				ready = append(ready, b.pm)
			}
			if len(ready) != len(sc.wantReady) || (len(ready) > 0 && ready[0] != sc.wantReady[0]) || p.cursor != sc.wantCursor {
				t.Errorf("ready %v cursor %d, want %v cursor %d", ready, p.cursor, sc.wantReady, sc.wantCursor)
			}
		})
	}
}
