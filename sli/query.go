package sli

import (
	"context"
	"fmt"
	"math"
	"sync/atomic"
	"time"

	promv1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
)

// queryCounter counts the queries sent.
type queryCounter struct{ n atomic.Int64 }

func (c *queryCounter) add()        { c.n.Add(1) }
func (c *queryCounter) load() int64 { return c.n.Load() }

// instant runs an instant query and returns the one number it gives:
// queries here always sum to one series. An empty answer is ReasonNoData.
func (m *Meter) instant(ctx context.Context, q string, at time.Time) (float64, error) {
	if err := m.acquire(ctx); err != nil {
		return 0, &QueryError{Query: q, Reason: ReasonUnreachable, Err: err}
	}
	defer m.release()
	m.queries.add()
	v, _, _, err := m.api.Query(ctx, q, at, promv1.WithTimeout(m.timeout))
	if err != nil {
		err = classify(q, err)
		m.log.Warn("SLI query failed", "query", q, "at", at, "err", err)
		return 0, err
	}
	vec, ok := v.(model.Vector)
	if !ok || len(vec) == 0 || math.IsNaN(float64(vec[0].Value)) {
		m.log.Warn("SLI query returned no data", "query", q, "at", at)
		return 0, &QueryError{Query: q, Reason: ReasonNoData}
	}
	return float64(vec[0].Value), nil
}

// series runs a range query summed to one series and returns its points
// by the end of each step; a step without a point is absent.
func (m *Meter) series(ctx context.Context, q string, r promv1.Range) (map[time.Time]float64, error) {
	if err := m.acquire(ctx); err != nil {
		return nil, &QueryError{Query: q, Reason: ReasonUnreachable, Err: err}
	}
	defer m.release()
	m.queries.add()
	v, _, _, err := m.api.QueryRange(ctx, q, r, promv1.WithTimeout(m.timeout))
	if err != nil {
		err = classify(q, err)
		m.log.Warn("SLI range query failed", "query", q, "from", r.Start, "to", r.End, "err", err)
		return nil, err
	}
	mat, ok := v.(model.Matrix)
	if !ok || len(mat) == 0 {
		m.log.Warn("SLI range query returned no data", "query", q, "from", r.Start, "to", r.End)
		return nil, &QueryError{Query: q, Reason: ReasonNoData}
	}
	out := make(map[time.Time]float64, len(mat[0].Values))
	for _, p := range mat[0].Values {
		if !math.IsNaN(float64(p.Value)) {
			out[p.Timestamp.Time().UTC()] = float64(p.Value)
		}
	}
	return out, nil
}

// promDuration writes a duration as PromQL reads it, in whole seconds.
func promDuration(d time.Duration) string {
	s := int64(math.Round(d.Seconds()))
	if s < 1 {
		s = 1
	}
	return fmt.Sprintf("%ds", s)
}
