package notify_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"sync"
	"testing"
	"time"

	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/notify"
	"github.com/amendsdev/amends/notify/smtptest"
)

// TestSecondPassSendsNothing: the key (recipient, kind, day) makes a second
// pass in the same period a no-op, and the next day is a new period.
func TestSecondPassSendsNothing(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		r := e.reminder()
		first := e.run(r)
		e.now = e.now.Add(2 * time.Hour)
		second := e.run(r)
		if first.Queued != 3 || second.Queued != 0 || second.Delivery.Sent != 0 || len(e.smtp.Mail()) != 3 {
			t.Fatalf("first queued %d, second queued %d sent %d, server got %d", first.Queued, second.Queued, second.Delivery.Sent, len(e.smtp.Mail()))
		}
	})
}

// TestSMTPFailureMidPass: the server refuses the second message; the pass
// completes, the rest waits with a backoff and goes out once it is over.
func TestSMTPFailureMidPass(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		e.smtp.Refuse = func(accepted int) error {
			if accepted == 1 {
				return smtptest.TempFailure
			}
			return nil
		}
		r := e.reminder()
		res := e.run(r)
		if res.Delivery.Sent != 1 || res.Delivery.Deferred != 2 || res.Delivery.Err == nil {
			t.Fatalf("first pass: %+v", res.Delivery)
		}
		e.smtp.Refuse = nil
		if again := e.run(r); again.Delivery.Sent != 0 {
			t.Fatalf("sent %d before the backoff ran out", again.Delivery.Sent)
		}
		e.now = e.now.Add(2 * time.Minute)
		if again := e.run(r); again.Delivery.Sent != 2 {
			t.Fatalf("after the backoff: %+v", again.Delivery)
		}
		byRecipient(t, e.smtp.Mail())
	})
}

// TestRestartMidPass: a pass dies holding claims, one of them already
// handed to the server. Its plain claims are retried once the lease runs
// out; the handed-off one is never resent on its own, it shows as uncertain
// until an admin requeues it.
func TestRestartMidPass(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		r := e.reminder()
		r.Transport = crashing{}
		func() {
			defer func() { recover() }()
			r.RunOnce(ctx)
		}()
		r = e.reminder()
		if res := e.run(r); res.Delivery.Sent != 0 {
			t.Fatalf("sent %d while the dead pass's lease was live", res.Delivery.Sent)
		}
		e.now = e.now.Add(notify.LeaseDuration + time.Minute)
		if res := e.run(r); res.Delivery.Sent != 2 {
			t.Fatalf("after the lease ran out: %+v", res.Delivery)
		}
		msgs, err := r.Outbox.List(ctx, notify.StatusHandingOff, 10)
		if err != nil || len(msgs) != 1 || msgs[0].ShownStatus(e.now) != notify.StatusUncertain {
			t.Fatalf("uncertain messages: %+v, %v", msgs, err)
		}
		if err := r.Outbox.Requeue(ctx, msgs[0].ID); err != nil {
			t.Fatal(err)
		}
		if res := e.run(r); res.Delivery.Sent != 1 {
			t.Fatalf("after requeue: %+v", res.Delivery)
		}
		byRecipient(t, e.smtp.Mail())
	})
}

// crashing simulates a process that dies mid-pass: the first Send panics
// right after the hand-off commit, so nothing else of the pass runs, as if
// the process had died between the server's reply and the commit of "sent".
type crashing struct{}

func (crashing) Open(context.Context) (notify.Conn, error) { return crashConn{}, nil }

type crashConn struct{}

func (crashConn) Send(context.Context, *notify.Message) error { panic("crash") }
func (crashConn) Close() error                                { return nil }

// TestConcurrentPasses: two passes at once never send one key twice.
func TestConcurrentPasses(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := e.reminder().RunOnce(context.Background()); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if got := byRecipient(t, e.smtp.Mail()); len(got) != 3 {
			t.Fatalf("delivered to %v", keys(got))
		}
	})
}
