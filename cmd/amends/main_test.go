package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// amends runs the command line in-process against a SQLite file.
func amends(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestUserAndTokenCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "amends.db")
	if _, _, err := amends(t, "", "migrate", "--db", db); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	out, _, err := amends(t, "a long enough password\n", "user", "add", "--db", db, "--email", "Lead@Example.com",
		"--name", "Lead", "--role", "sre", "--password-stdin")
	if err != nil || out != "" {
		t.Fatalf("user add with --password-stdin: out %q err %v", out, err)
	}
	out, _, err = amends(t, "", "user", "add", "--db", db, "--email", "viewer@example.com", "--name", "V", "--role", "viewer")
	if err != nil || len(strings.TrimSpace(out)) < 12 {
		t.Fatalf("user add without a password must print a generated one: out %q err %v", out, err)
	}
	scenarios := []struct {
		name string
		args []string
		want string
	}{
		{"duplicate email", []string{"user", "add", "--db", db, "--email", "lead@example.com", "--name", "L", "--role", "sre"}, "already exists"},
		{"bad role", []string{"user", "add", "--db", db, "--email", "x@example.com", "--name", "X", "--role", "root"}, "role"},
		{"customer without customer", []string{"user", "add", "--db", db, "--email", "c@example.com", "--name", "C", "--role", "customer"}, "customer"},
		{"unknown user", []string{"token", "create", "--db", db, "--email", "nobody@example.com"}, "not found"},
		{"unknown command", []string{"frobnicate"}, "unknown command"},
		{"schema missing", []string{"token", "create", "--db", filepath.Join(t.TempDir(), "new.db"), "--email", "x@example.com"}, "amends migrate"},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			_, _, err := amends(t, "", sc.args...)
			if err == nil || !strings.Contains(err.Error(), sc.want) {
				t.Errorf("error %v, want one mentioning %q", err, sc.want)
			}
		})
	}
	out, _, err = amends(t, "", "token", "create", "--db", db, "--email", "lead@example.com", "--name", "ci")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^amd_[A-Za-z0-9_-]{43}\n$`).MatchString(out) {
		t.Errorf("token create printed %q, want the token alone on a line", out)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestServeDemo runs `amends serve --demo` as a new user would, uses the
// token it prints, and stops it as SIGTERM would.
func TestServeDemo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "amends.db")
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--demo", "--db", db, "--addr", addr}, nil, &out, &errOut) }()
	base := "http://" + addr
	waitReady(t, base+"/readyz", done)
	m := regexp.MustCompile(`API token \(admin\): (amd_\S+)`).FindStringSubmatch(out.String())
	if m == nil || !strings.Contains(out.String(), "customer user:") || !strings.Contains(out.String(), base+"/login") {
		t.Fatalf("serve --demo printed:\n%s", out.String())
	}
	var pms struct{ Items []map[string]any }
	getJSON(t, base+"/api/v1/postmortems", m[1], &pms)
	vis := map[string]int{}
	for _, p := range pms.Items {
		vis[p["visibility"].(string)]++
	}
	if len(pms.Items) != 8 || vis["internal"] == 0 || vis["shared"] == 0 || vis["joint"] == 0 || vis["public"] != 2 {
		t.Errorf("demo postmortems: %d, by visibility %v", len(pms.Items), vis)
	}
	// The public page is on, for anyone, and serve says where.
	if !strings.Contains(out.String(), base+"/status") {
		t.Errorf("serve --demo does not print the public page:\n%s", out.String())
	}
	res, err := http.Get(base + "/status")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(page), "promises kept") {
		t.Errorf("the demo's public page: %d %.300s", res.StatusCode, page)
	}
	var items struct{ Items []map[string]any }
	getJSON(t, base+"/api/v1/action-items?limit=100", m[1], &items)
	statuses, priorities, overdue, customerOwned := map[string]bool{}, map[string]bool{}, 0, 0
	for _, it := range items.Items {
		statuses[it["status"].(string)] = true
		priorities[it["priority"].(string)] = true
		if it["overdue"] == true {
			overdue++
		}
		if it["owner"] == "customer" {
			customerOwned++
		}
	}
	if len(items.Items) < 20 || len(statuses) != 5 || len(priorities) != 4 || overdue == 0 || customerOwned == 0 {
		t.Errorf("demo items: %d, statuses %v, priorities %v, overdue %d, customer-owned %d",
			len(items.Items), statuses, priorities, overdue, customerOwned)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after shutdown: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not shut down")
	}
	// A second --demo leaves the data alone but prints a sign-in that
	// works (TestDemoOnAFilledDatabase); the bad address then stops it.
	stdout, stderr, err := amends(t, "", "serve", "--demo", "--db", db, "--addr", "256.0.0.1:1")
	if err == nil || !strings.Contains(err.Error(), "256.0.0.1") || !strings.Contains(stdout, "already has data") {
		t.Errorf("second serve --demo: stdout %q, stderr %q, err %v", stdout, stderr, err)
	}
}

// waitReady waits up to 30 s: serve --demo hashes several passwords with
// argon2id (64 MB each) before it listens, which took 5-9 s on a shared
// two-core machine.
func waitReady(t *testing.T, url string, done chan error) {
	t.Helper()
	for i := 0; i < 300; i++ {
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v", err)
		default:
		}
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s never became ready", url)
}

func getJSON(t *testing.T, url, token string, dst any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := checkedClient(t).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(dst); err != nil {
		t.Fatal(fmt.Errorf("decode %s: %w", url, err))
	}
}

func TestSeedBench(t *testing.T) {
	db := filepath.Join(t.TempDir(), "bench.db")
	out, stderr, err := amends(t, "", "seed-bench", "--db", db, "--customers", "3", "--action-items", "2000")
	if err != nil {
		t.Fatalf("seed-bench: %v\n%s", err, stderr)
	}
	if !regexp.MustCompile(`(?m)^admin amd_\S+\ncustomer amd_\S+\n$`).MatchString(out) {
		t.Errorf("seed-bench printed %q, want an admin and a customer token", out)
	}
	if !strings.Contains(stderr, "2000/2000 items (100%)") {
		t.Errorf("no progress to the end: %q", stderr)
	}
	if _, _, err := amends(t, "", "seed-bench", "--db", db, "--customers", "3", "--action-items", "10"); err == nil || !strings.Contains(err.Error(), "already has data") {
		t.Errorf("seed-bench on a full database: %v", err)
	}
}
