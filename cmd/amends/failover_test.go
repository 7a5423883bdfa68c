package main

import (
	"bufio"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/jobs"
	"github.com/amendsdev/amends/models/testdb"
)

// TestLeaderSIGKILLMovesLeadership runs two `amends serve` replicas on one
// PostgreSQL database: exactly one leads; after a SIGKILL of the leader the
// other leads within a minute.
func TestLeaderSIGKILLMovesLeadership(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	url := testdb.PostgresURL(t)
	bin := filepath.Join(t.TempDir(), "amends")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	var replicas [2]*exec.Cmd
	var bases [2]string
	for i := range replicas {
		addr := freeAddr(t)
		cmd := exec.Command(bin, "serve", "--database-url", url, "--addr", addr)
		cmd.Env = append(os.Environ(), "AMENDS_SMTP_URL=", "AMENDS_GITHUB_TOKEN=")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		replicas[i], bases[i] = cmd, "http://"+addr
		waitReady(t, bases[i]+"/readyz", nil)
	}

	var leader, follower int
	waitUntil(t, time.Minute, func() bool {
		a, b := leading(t, bases[0]), leading(t, bases[1])
		leader, follower = 0, 1
		if b {
			leader, follower = 1, 0
		}
		return a != b
	})
	if err := replicas[leader].Process.Signal(os.Kill); err != nil {
		t.Fatal(err)
	}
	replicas[leader].Wait()
	waitUntil(t, time.Minute, func() bool { return leading(t, bases[follower]) })
}

// leading reads amends_scheduler_leader from a replica's /metrics.
func leading(t *testing.T, base string) bool {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatalf("metrics: %v", err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "amends_scheduler_leader "); ok {
			return v == "1"
		}
	}
	t.Fatalf("%s/metrics has no amends_scheduler_leader", base)
	return false
}

// waitUntil polls ok until it holds, failing after limit; a campaign runs
// every jobs.CampaignInterval, so limit must be longer than that.
func waitUntil(t *testing.T, limit time.Duration, ok func() bool) {
	t.Helper()
	if limit <= jobs.CampaignInterval {
		t.Fatalf("limit %v is not longer than a campaign interval", limit)
	}
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("not so within %v", limit)
}
