// Package promtest runs a real Prometheus over known counters, for tests
// and benchmarks: it writes the counters as OpenMetrics text, backfills
// them into TSDB blocks with `promtool tsdb create-blocks-from
// openmetrics`, and starts `prometheus` on a free loopback port over that
// storage. Backfilled samples must be older than the head block's window,
// so tests place their data months in the past.
package promtest

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Series is one counter: its name (ending in _total), its labels, and
// its samples in time order.
type Series struct {
	Name    string
	Labels  map[string]string
	Samples []Sample
}

// Sample is one value of a counter.
type Sample struct {
	T time.Time
	V float64
}

// Binaries finds prometheus and promtool, or says why they are missing.
func Binaries() (prom, tool string, err error) {
	if prom, err = exec.LookPath("prometheus"); err != nil {
		return "", "", fmt.Errorf("prometheus is not installed (Debian package prometheus): %w", err)
	}
	if tool, err = exec.LookPath("promtool"); err != nil {
		return "", "", fmt.Errorf("promtool is not installed (Debian package prometheus): %w", err)
	}
	return prom, tool, nil
}

// Start backfills the series and serves them from a Prometheus that stops
// with the test; it returns its base URL. It skips the test, with the
// reason, where the binaries are absent.
func Start(tb testing.TB, series []Series) string {
	tb.Helper()
	prom, tool, err := Binaries()
	if err != nil {
		tb.Skipf("no Prometheus to test against: %v", err)
	}
	dir := tb.TempDir()
	data := filepath.Join(dir, "data")
	in := filepath.Join(dir, "input.om")
	if err := WriteOpenMetrics(in, series); err != nil {
		tb.Fatal(err)
	}
	blocks, err := cachedBackfill(tool, in, series)
	if err != nil {
		tb.Fatal(err)
	}
	// Prometheus writes into its storage: each test gets its own copy.
	if err := copyDir(blocks, data); err != nil {
		tb.Fatalf("copy the backfilled blocks: %v", err)
	}
	cfg := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfg, []byte("global:\n  scrape_interval: 1m\n"), 0o600); err != nil {
		tb.Fatal(err)
	}
	addr := freeAddr(tb)
	log, err := os.Create(filepath.Join(dir, "prometheus.log"))
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(prom, "--config.file="+cfg, "--storage.tsdb.path="+data,
		"--storage.tsdb.retention.time=100y", "--web.listen-address="+addr, "--log.level=warn")
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start prometheus: %v", err)
	}
	tb.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		_ = log.Close()
	})
	url := "http://" + addr
	if err := waitReady(url, cmd); err != nil {
		b, _ := os.ReadFile(log.Name())
		tb.Fatalf("prometheus did not get ready: %v\n%s", err, b)
	}
	return url
}

// cachedBackfill turns the series into TSDB blocks once per content (the
// OpenMetrics file in) on this machine: a month takes promtool a minute or
// more, so its output is kept under the temporary directory by the
// input's hash and reused by the next test or package.
func cachedBackfill(tool, in string, series []Series) (string, error) {
	b, err := os.ReadFile(in)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	cache := filepath.Join(os.TempDir(), "amends-promtest", hex.EncodeToString(sum[:12]))
	if _, err := os.Stat(filepath.Join(cache, "done")); err == nil {
		return cache, nil
	}
	if err := os.MkdirAll(filepath.Dir(cache), 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(cache), "building-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	blocks := filepath.Join(tmp, "blocks")
	if err := Backfill(tool, series, blocks); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(blocks, "done"), nil, 0o644); err != nil {
		return "", err
	}
	// Another test may have built the same blocks meanwhile: either copy
	// will do.
	if err := os.Rename(blocks, cache); err != nil {
		if _, statErr := os.Stat(filepath.Join(cache, "done")); statErr != nil {
			return "", err
		}
	}
	return cache, nil
}

// Backfill writes the series into TSDB blocks in dir with promtool, one
// day of samples (UTC) at a time: promtool reads its whole input once for
// every two hours it covers, so one file of many days costs the square of
// its length.
func Backfill(tool string, series []Series, dir string) error {
	days := map[int64][]Series{}
	for _, s := range series {
		for _, p := range s.Samples {
			d := p.T.Unix() / 86400
			day := days[d]
			if n := len(day); n == 0 || day[n-1].Name != s.Name || !sameLabels(day[n-1].Labels, s.Labels) {
				day = append(day, Series{Name: s.Name, Labels: s.Labels})
			}
			day[len(day)-1].Samples = append(day[len(day)-1].Samples, p)
			days[d] = day
		}
	}
	tmp, err := os.MkdirTemp("", "amends-backfill-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for d, day := range days {
		in := filepath.Join(tmp, fmt.Sprintf("%d.om", d))
		if err := WriteOpenMetrics(in, day); err != nil {
			return err
		}
		if out, err := exec.Command(tool, "tsdb", "create-blocks-from", "openmetrics", "-q", in, dir).CombinedOutput(); err != nil {
			return fmt.Errorf("promtool backfill: %v\n%s", err, out)
		}
		if err := os.Remove(in); err != nil {
			return err
		}
	}
	return nil
}

func sameLabels(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// copyDir copies a tree of plain files.
func copyDir(from, to string) error {
	return filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if d.Name() == "done" && filepath.Dir(path) == from {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
}

// freeAddr picks a free port on the loopback interface.
func freeAddr(tb testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// waitReady polls /-/ready until Prometheus has loaded its blocks, or it
// exits, or a minute passes.
func waitReady(url string, cmd *exec.Cmd) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/-/ready", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if cmd.ProcessState != nil {
			return fmt.Errorf("prometheus exited: %v", cmd.ProcessState)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// WriteOpenMetrics writes the series as OpenMetrics text, every family's
// samples together, as promtool reads them.
func WriteOpenMetrics(path string, series []Series) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	byFamily := map[string][]Series{}
	var names []string
	for _, s := range series {
		fam := strings.TrimSuffix(s.Name, "_total")
		if _, ok := byFamily[fam]; !ok {
			names = append(names, fam)
		}
		byFamily[fam] = append(byFamily[fam], s)
	}
	sort.Strings(names)
	for _, fam := range names {
		fmt.Fprintf(w, "# TYPE %s counter\n", fam)
		for _, s := range byFamily[fam] {
			labels := labelText(s.Labels)
			for _, p := range s.Samples {
				fmt.Fprintf(w, "%s%s %s %d\n", s.Name, labels, strconv.FormatFloat(p.V, 'f', -1, 64), p.T.Unix())
			}
		}
	}
	fmt.Fprintln(w, "# EOF")
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func labelText(l map[string]string) string {
	if len(l) == 0 {
		return ""
	}
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%q", k, l[k])
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// Counter builds a counter sampled every step from from to to (both
// included), starting at start and adding rate(t) over each step that
// ends at t: rate says how many events the step ending at t held.
func Counter(name string, labels map[string]string, from, to time.Time, step time.Duration, start float64, perStep func(end time.Time) float64) Series {
	s := Series{Name: name, Labels: labels}
	v := start
	for t := from; !t.After(to); t = t.Add(step) {
		if t.After(from) {
			v += perStep(t)
		}
		s.Samples = append(s.Samples, Sample{T: t, V: v})
	}
	return s
}

// Reset restarts the counter from zero at the first sample at or after
// at, as a process restart does: that sample and the later ones lose the
// value the counter had just before.
func (s Series) Reset(at time.Time) Series {
	base := -1.0
	for i, p := range s.Samples {
		if p.T.Before(at) {
			continue
		}
		if base < 0 {
			base = 0
			if i > 0 {
				base = s.Samples[i-1].V
			}
		}
		s.Samples[i].V = p.V - base
	}
	return s
}
