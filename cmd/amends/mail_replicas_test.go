package main

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/notify"
	"github.com/amendsdev/amends/notify/smtptest"
)

// mailReplicas is two `amends serve` processes on one PostgreSQL database,
// both sending to one in-process SMTP server, and the test's own view of
// the database (standing for a third process that queues mail).
type mailReplicas struct {
	cmds     [2]*exec.Cmd
	bases    [2]string
	bin, url string
	db       *database.DB
	store    *models.Store
	smtp     *smtptest.Server
}

// newMailReplicas builds the binary and migrates a fresh database; seed
// fills it before any replica starts.
func newMailReplicas(t *testing.T, seed ...func(*database.DB)) *mailReplicas {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	r := &mailReplicas{url: testdb.PostgresURL(t), bin: filepath.Join(t.TempDir(), "amends"), smtp: smtptest.Start(t)}
	if out, err := exec.Command("go", "build", "-o", r.bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	var err error
	if r.db, err = database.Open(database.OpenConfig{DatabaseURL: r.url}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.db.Close() })
	if err := database.Migrate(context.Background(), r.db); err != nil {
		t.Fatal(err)
	}
	r.store = models.NewStore(r.db)
	for _, f := range seed {
		f(r.db)
	}
	return r
}

// start runs replica i and waits until it is ready.
func (r *mailReplicas) start(t *testing.T, i int) {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(r.bin, "serve", "--database-url", r.url, "--addr", addr)
	cmd.Env = append(os.Environ(), "AMENDS_SMTP_URL="+r.smtp.URL(), "AMENDS_MAIL_FROM=amends@provider.example", "AMENDS_GITHUB_TOKEN=")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	r.cmds[i], r.bases[i] = cmd, "http://"+addr
	waitReady(t, r.bases[i]+"/readyz", nil)
}

// enqueue queues n mails from outside both replicas: they find them by
// polling.
func (r *mailReplicas) enqueue(t *testing.T, n int) {
	t.Helper()
	emails := make([]notify.Email, n)
	for i := range emails {
		emails[i] = notify.Email{To: fmt.Sprintf("u%04d@acme.example", i), Kind: "test", Period: "1", Subject: fmt.Sprint("mail ", i), Text: "x"}
	}
	if _, err := notify.NewOutbox(r.store).Enqueue(context.Background(), emails); err != nil {
		t.Fatal(err)
	}
}

func (r *mailReplicas) byStatus(t *testing.T) map[string]int {
	t.Helper()
	var rows []struct {
		Status string
		N      int
	}
	if err := r.db.R.Model(&notify.Message{}).Select("status, count(*) AS n").Group("status").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, s := range rows {
		out[s.Status] = s.N
	}
	return out
}

// TestReplicaKilledMidSendSendsEachMailOnce: a replica sending 200 mails
// is SIGKILLed while the SMTP server takes its 61st; a second replica,
// started then, sends the rest once the dead one's leases have run out
// (the test moves them into the past rather than waiting ten minutes).
// Every mail arrives exactly once; the one in flight at the kill, which
// the server took, stays "uncertain" and is not sent again.
func TestReplicaKilledMidSendSendsEachMailOnce(t *testing.T) {
	r := newMailReplicas(t)
	r.start(t, 0)
	killed := make(chan struct{})
	var once sync.Once
	r.smtp.Refuse = func(accepted int) error {
		if accepted == 60 {
			once.Do(func() { r.cmds[0].Process.Kill(); close(killed) })
		}
		return nil
	}
	const n = 200
	r.enqueue(t, n)
	select {
	case <-killed:
	case <-time.After(time.Minute):
		t.Fatal("the first replica never sent 60 mails")
	}
	r.cmds[0].Wait()
	r.start(t, 1)
	deadline := time.Now().Add(time.Minute)
	for {
		st := r.byStatus(t)
		if st[notify.StatusSent] == n-1 && st[notify.StatusHandingOff] == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox after a minute: %v", st)
		}
		// Time passes for the dead replica's claims.
		if err := r.db.W.Model(&notify.Message{}).Where("status = ?", notify.StatusClaimed).
			Update("lease_until", time.Now().Add(-time.Hour)).Error; err != nil {
			t.Fatal(err)
		}
		time.Sleep(500 * time.Millisecond)
	}
	ids := map[string]int{}
	for _, m := range r.smtp.Mail() {
		ids[m.Msg.Header.Get("Message-Id")]++
	}
	for id, k := range ids {
		if k != 1 {
			t.Errorf("message %s arrived %d times", id, k)
		}
	}
	if len(ids) != n {
		t.Errorf("%d distinct mails arrived, want %d; outbox %v", len(ids), n, r.byStatus(t))
	}
}

// TestMailLatencyTwoReplicas measures queued-to-accepted over 1,000
// invitations posted by customer admins, alternately to each of two
// replicas, four at a time (AMENDS_MAIL_LATENCY=1) or two at about 40 a
// second (AMENDS_MAIL_LATENCY=paced). It is a measurement, run on demand;
// it logs p50, p99 and the maximum.
func TestMailLatencyTwoReplicas(t *testing.T) {
	if os.Getenv("AMENDS_MAIL_LATENCY") == "" {
		t.Skip("set AMENDS_MAIL_LATENCY=1 to measure")
	}
	r := newMailReplicas(t, func(db *database.DB) { testdb.NewFixture(t, db) })
	r.start(t, 0)
	r.start(t, 1)
	const n = 1000
	workers, pause := 4, time.Duration(0)
	if os.Getenv("AMENDS_MAIL_LATENCY") == "paced" {
		workers, pause = 2, 50*time.Millisecond // about 40 invitations a second
	}
	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		c := newLeakClient(t, r.bases[w%2], "admin@acme.example", "")
		c.login(testdb.Password)
		token := c.csrf("/portal/organisation")
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				form := url.Values{"email": {fmt.Sprintf("invitee%04d@acme.example", i)}, "csrf": {token}}
				if a := c.send("POST", "/portal/organisation/invitations", form); a.status != http.StatusSeeOther {
					t.Errorf("invite %d: %d %s", i, a.status, a.body)
					return
				}
				time.Sleep(pause)
			}
		}()
	}
	wg.Wait()
	posted := time.Since(start)
	var rows []notify.Message
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(time.Second) {
		rows = nil
		if err := r.db.R.Select("created_at, sent_at").Where("kind = ? AND status = ?", "invitation", notify.StatusSent).Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		if len(rows) == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d invitations sent after two minutes", len(rows), n)
		}
	}
	waits := make([]time.Duration, len(rows))
	for i, m := range rows {
		waits[i] = m.SentAt.Sub(m.CreatedAt)
	}
	slices.Sort(waits)
	at := func(q float64) time.Duration { return waits[int(q*float64(len(waits)-1))].Round(time.Millisecond) }
	var first, last time.Time
	for _, m := range rows {
		if first.IsZero() || m.SentAt.Before(first) {
			first = *m.SentAt
		}
		if m.SentAt.After(last) {
			last = *m.SentAt
		}
	}
	t.Logf("queued to accepted over %d invitations posted in %v by %d clients, two replicas: min %v, p50 %v, p90 %v, p99 %v, max %v; all sent within %v",
		n, posted.Round(time.Millisecond), workers, waits[0].Round(time.Millisecond), at(0.50), at(0.90), at(0.99),
		waits[n-1].Round(time.Millisecond), last.Sub(first).Round(time.Millisecond))
}
