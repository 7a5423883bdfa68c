package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// LeaseDuration is how long a pass holds the rows it claimed. A pass that
// dies lets its claims go when the lease runs out.
const LeaseDuration = 10 * time.Minute

// claimable selects rows a pass may take: queued and due, or claimed under
// a lease that ran out (their pass died before handing them off).
func claimable(q *gorm.DB, now time.Time) *gorm.DB {
	return q.Where("(status = ? AND not_before <= ?) OR (status = ? AND lease_until < ?)",
		StatusQueued, now, StatusClaimed, now)
}

// anyDue says, from a reader, whether any row is claimable: a sender that
// polls an idle outbox every few seconds then takes no write lock (SQLite
// has one writer).
func (o *Outbox) anyDue(ctx context.Context) (bool, error) {
	var ids []uint
	err := claimable(o.db.R.WithContext(ctx).Model(&Message{}), o.store.Now()).Limit(1).Pluck("id", &ids).Error
	if err != nil {
		return false, fmt.Errorf("look for due outbox messages: %w", err)
	}
	return len(ids) > 0, nil
}

// claim takes up to limit due rows under a fresh lease. The UPDATE re-checks
// the condition row by row, so two passes racing for a row cannot both get
// it: on PostgreSQL the loser re-reads the locked row and finds it claimed,
// on SQLite writes are serialised.
func (o *Outbox) claim(ctx context.Context, limit int) (string, []Message, error) {
	lease := newLeaseID()
	now := o.store.Now()
	until := now.Add(LeaseDuration)
	db := o.db.W.WithContext(ctx)
	ids := claimable(db.Session(&gorm.Session{NewDB: true}).Model(&Message{}).Select("id"), now).Order("id").Limit(limit)
	res := claimable(db.Model(&Message{}).Where("id IN (?)", ids), now).Updates(map[string]any{
		"status": StatusClaimed, "lease_id": lease, "lease_until": until, "attempts": gorm.Expr("attempts + 1"),
	})
	if res.Error != nil {
		return "", nil, fmt.Errorf("claim outbox messages: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return lease, nil, nil
	}
	var out []Message
	if err := db.Where("lease_id = ? AND status = ?", lease, StatusClaimed).Order("id").Find(&out).Error; err != nil {
		return "", nil, fmt.Errorf("read claimed outbox messages: %w", err)
	}
	return lease, out, nil
}

// handOff records, in its own commit, that the message is about to be
// given to the SMTP server. From here on it is never retried on its own.
// It reports false when the pass lost its lease to another.
func (o *Outbox) handOff(ctx context.Context, m *Message, lease string) (bool, error) {
	now := o.store.Now()
	return o.transition(ctx, m.ID, lease, StatusClaimed, map[string]any{
		"status": StatusHandingOff, "handed_off_at": now, "lease_until": now.Add(LeaseDuration)})
}

// markSent records the server's acceptance.
func (o *Outbox) markSent(ctx context.Context, m *Message, lease string) error {
	_, err := o.transition(ctx, m.ID, lease, StatusHandingOff, map[string]any{
		"status": StatusSent, "sent_at": o.store.Now(), "last_error": ""})
	return err
}

// release gives a message back after a failure the server reported (so it
// did not take it) or before it was handed off: retried after a backoff, or
// failed for good when permanent or out of attempts.
func (o *Outbox) release(ctx context.Context, m *Message, lease string, cause error, permanent bool) error {
	status := StatusQueued
	if permanent || m.Attempts >= MaxAttempts {
		status = StatusFailed
	}
	_, err := o.transition(ctx, m.ID, lease, m.Status, map[string]any{
		"status": status, "not_before": o.store.Now().Add(backoff(m.Attempts)), "last_error": cause.Error(),
		"lease_id": "", "lease_until": nil})
	return err
}

// transition moves a row held under lease from one status to the next.
func (o *Outbox) transition(ctx context.Context, id uint, lease, from string, set map[string]any) (bool, error) {
	res := o.db.W.WithContext(context.WithoutCancel(ctx)).Model(&Message{}).
		Where("id = ? AND lease_id = ? AND status = ?", id, lease, from).Updates(set)
	if res.Error != nil {
		return false, fmt.Errorf("outbox message %d: %s → %v: %w", id, from, set["status"], res.Error)
	}
	return res.RowsAffected == 1, nil
}

func newLeaseID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}
