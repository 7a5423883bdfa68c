package notify_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"io"
	"log/slog"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jonboulle/clockwork"

	"github.com/amendsdev/amends/jobs"
	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/notify"
)

// cuttable forwards TCP connections to a PostgreSQL server until cut, which
// drops every connection and refuses new ones: to the database, the replica
// behind it is dead, as after a SIGKILL.
type cuttable struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func newCuttable(t *testing.T, target string) *cuttable {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cuttable{ln: ln}
	t.Cleanup(p.cut)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
	return p
}

func (p *cuttable) cut() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}

// replica is one serve process: its own pool, clock, scheduler and elector.
type replica struct {
	db    *database.DB
	store *models.Store
	clock *clockwork.FakeClock
	sched *jobs.Scheduler
}

func startReplica(t *testing.T, e *env, dsn string, now *time.Time, mu *sync.Mutex) *replica {
	t.Helper()
	db, err := database.Open(database.OpenConfig{DatabaseURL: dsn})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r := &replica{db: db, store: models.NewStore(db), clock: clockwork.NewFakeClockAt(*now)}
	r.store.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return *now })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if r.sched, err = jobs.New(db, log, gocron.WithClock(r.clock)); err != nil {
		t.Fatal(err)
	}
	rem := e.reminder()
	rem.Store, rem.Outbox = r.store, notify.NewOutbox(r.store)
	ctx, cancel := context.WithCancel(context.Background())
	// Every replica runs a sender, as serve does; the leader's pass wakes
	// its own, the other finds mail by polling.
	sender := &notify.Sender{Outbox: rem.Outbox, Transport: rem.Transport, Log: log, Poll: 100 * time.Millisecond}
	done := make(chan struct{})
	go func() { defer close(done); sender.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	if err := r.sched.Every("reminders", notify.Interval, notify.Pass(ctx, rem, log)); err != nil {
		t.Fatal(err)
	}
	r.sched.Start(ctx)
	t.Cleanup(r.sched.Stop)
	return r
}

// TestLeaderKilledMidPassSendsEachReminderOnce: two replicas on one
// PostgreSQL database, each with a sender; the leader dies while its sender
// hands a reminder to the SMTP server. The other replica's sender sends
// what the dead one had claimed once its lease runs out, and no reminder
// reaches anyone twice.
func TestLeaderKilledMidPassSendsEachReminderOnce(t *testing.T) {
	dsn := testdb.PostgresURL(t)
	seed, err := database.Open(database.OpenConfig{DatabaseURL: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer seed.Close()
	if err := database.Migrate(context.Background(), seed); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, seed)

	midPass, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	e.smtp.Refuse = func(accepted int) error {
		if accepted == 1 {
			once.Do(func() { close(midPass); <-release })
		}
		return nil
	}

	u, _ := url.Parse(dsn)
	proxy := newCuttable(t, u.Host)
	u.Host = proxy.ln.Addr().String()
	var mu sync.Mutex
	now := monday
	leader := startReplica(t, e, u.String(), &now, &mu)
	waitFor(t, leader.sched.Elector.Leading)
	<-midPass
	follower := startReplica(t, e, dsn, &now, &mu)

	proxy.cut() // the leader dies while the server holds its second message
	close(release)

	// Time passes on the follower's clocks, one reminder interval at a time,
	// until it has sent what the dead leader had claimed (after its lease).
	waitFor(t, func() bool {
		if outboxSettled(t, seed) {
			return true
		}
		mu.Lock()
		now = now.Add(notify.Interval)
		mu.Unlock()
		follower.clock.Advance(notify.Interval)
		return false
	})

	var rows []notify.Message
	if err := seed.R.Order("id").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	if len(rows) < 3 {
		t.Fatalf("want at least 3 reminders for the kill to fall mid-pass, got %d", len(rows))
	}
	mails := e.smtp.Mail()
	byID := map[string]int{}
	for _, m := range mails {
		byID[m.Msg.Header.Get("Message-Id")]++
	}
	for id, n := range byID {
		if n != 1 {
			t.Errorf("message %s sent %d times", id, n)
		}
	}
	if len(mails) != len(rows) || len(byID) != len(rows) {
		t.Fatalf("outbox has %d reminders, the server got %d mails (%d distinct)", len(rows), len(mails), len(byID))
	}
	if !follower.sched.Elector.Leading() {
		t.Fatal("the follower did not take over")
	}
}

// outboxSettled: every reminder is sent except the one the leader was
// handing to the server when it died, which stays handing_off ("uncertain"
// at /admin/outbox) and is never retried on its own.
func outboxSettled(t *testing.T, db *database.DB) bool {
	t.Helper()
	var byStatus []struct {
		Status string
		N      int
	}
	if err := db.R.Model(&notify.Message{}).Select("status, count(*) AS n").Group("status").Scan(&byStatus).Error; err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{notify.StatusSent: true, notify.StatusHandingOff: true}
	for _, s := range byStatus {
		if !want[s.Status] || (s.Status == notify.StatusHandingOff && s.N != 1) {
			return false
		}
	}
	return len(byStatus) == 2
}
