package notify

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Transport sends mail; Open starts one session for a batch.
type Transport interface {
	Open(ctx context.Context) (Conn, error)
}

// Conn is an open session with the mail server.
type Conn interface {
	// Send hands one message over. An error means the server did not take it.
	Send(ctx context.Context, m *Message) error
	Close() error
}

// PermanentError marks a refusal that retrying will not fix (a 5xx reply).
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// DeliveryResult says what a delivery pass did.
type DeliveryResult struct {
	Sent, Failed, Deferred int
	// Waited is, for each message sent, how long it waited from queued to
	// accepted by the server.
	Waited []time.Duration
	// Err is why the pass stopped early (the server is down, say); the
	// messages it did not send wait in the outbox for the next pass.
	Err error
}

// batchSize is how many rows a pass claims at a time.
const batchSize = 50

// Deliver sends every due message through t, batch by batch, until none is
// left or the server stops taking them. Without a transport (no SMTP
// configured) mail stays queued for admins to read. Only a database error
// is returned; a server error ends up in the result and the pass completes.
func (o *Outbox) Deliver(ctx context.Context, t Transport) (DeliveryResult, error) {
	var res DeliveryResult
	if t == nil {
		return res, nil
	}
	if due, err := o.anyDue(ctx); err != nil || !due {
		return res, err
	}
	var conn Conn
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for res.Err == nil {
		lease, batch, err := o.claim(ctx, batchSize)
		if err != nil || len(batch) == 0 {
			return res, err
		}
		if conn == nil {
			if conn, err = t.Open(ctx); err != nil {
				conn, res.Err = nil, fmt.Errorf("open mail session: %w", err)
				return res, o.releaseAll(ctx, batch, lease, res.Err, &res)
			}
		}
		if err := o.sendBatch(ctx, conn, batch, lease, &res); err != nil {
			return res, err
		}
	}
	return res, nil
}

// sendBatch sends a claimed batch; after the first server error it gives
// the rest back, since the session is probably unusable.
func (o *Outbox) sendBatch(ctx context.Context, conn Conn, batch []Message, lease string, res *DeliveryResult) error {
	for i := range batch {
		m := &batch[i]
		if res.Err != nil || ctx.Err() != nil {
			if err := o.release(ctx, m, lease, errors.Join(res.Err, ctx.Err()), false); err != nil {
				return err
			}
			res.Deferred++
			continue
		}
		if err := o.sendOne(ctx, conn, m, lease, res); err != nil {
			return err
		}
	}
	return nil
}

func (o *Outbox) sendOne(ctx context.Context, conn Conn, m *Message, lease string, res *DeliveryResult) error {
	held, err := o.handOff(ctx, m, lease)
	if err != nil || !held {
		return err // lost the lease: another pass has it now
	}
	m.Status = StatusHandingOff
	sendErr := conn.Send(ctx, m)
	if sendErr == nil {
		res.Sent++
		res.Waited = append(res.Waited, o.store.Now().Sub(m.queuedAt()))
		return o.markSent(ctx, m, lease)
	}
	var perm *PermanentError
	permanent := errors.As(sendErr, &perm)
	if permanent || m.Attempts >= MaxAttempts {
		res.Failed++
	} else {
		res.Deferred++
		res.Err = fmt.Errorf("send to %s: %w", m.Recipient, sendErr)
	}
	return o.release(ctx, m, lease, sendErr, permanent)
}

func (o *Outbox) releaseAll(ctx context.Context, batch []Message, lease string, cause error, res *DeliveryResult) error {
	for i := range batch {
		if err := o.release(ctx, &batch[i], lease, cause, false); err != nil {
			return err
		}
		res.Deferred++
	}
	return nil
}
