// Package openslo reads customer SLOs from OpenSLO v1 YAML. Every document
// that cannot become an amends SLO is reported by name with the reason, so
// that an import never drops anything silently.
package openslo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/amendsdev/amends/models"
)

// Skipped is a document that was read but not imported: an SLO refused
// (in Skipped), or a document of another kind (in Other), which is not an
// error. Document counts the objects of the file from 1, in order,
// whether they come one per YAML document or as items of a list.
type Skipped struct {
	Document int    `json:"document"`
	Kind     string `json:"kind"`
	Name     string `json:"name"`
	Reason   string `json:"reason"`
}

// SLO is one importable SLO with a note on how its window was read.
type SLO struct {
	Input  models.SLOInput `json:"input"`
	Window string          `json:"window"`
}

// Parsed is everything a file held: the SLOs to import, the SLOs
// refused, and the documents of other kinds (Service, SLI, AlertPolicy…).
type Parsed struct {
	SLOs    []SLO     `json:"slos"`
	Skipped []Skipped `json:"skipped"`
	Other   []Skipped `json:"other"`
}

type document struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name        string `yaml:"name"`
		DisplayName string `yaml:"displayName"`
	} `yaml:"metadata"`
	Spec spec `yaml:"spec"`
}

type spec struct {
	Description     string       `yaml:"description"`
	BudgetingMethod string       `yaml:"budgetingMethod"`
	TimeWindow      []timeWindow `yaml:"timeWindow"`
	Objectives      []objective  `yaml:"objectives"`
	Indicator       any          `yaml:"indicator"`
	IndicatorRef    string       `yaml:"indicatorRef"`
}

type timeWindow struct {
	Duration  string `yaml:"duration"`
	IsRolling bool   `yaml:"isRolling"`
	Calendar  *struct {
		StartTime string `yaml:"startTime"`
		TimeZone  string `yaml:"timeZone"`
	} `yaml:"calendar"`
}

type objective struct {
	DisplayName     string   `yaml:"displayName"`
	Target          *float64 `yaml:"target"`
	TargetPercent   *float64 `yaml:"targetPercent"`
	CompositeWeight *float64 `yaml:"compositeWeight"`
	Indicator       any      `yaml:"indicator"`
	IndicatorRef    string   `yaml:"indicatorRef"`
}

// Parse reads every object of r, in either shape the OpenSLO tools write:
// one object per YAML document (separated by ---), or a YAML list of
// objects (what oslo and the Go SDK read and write), or both mixed. A
// document that is not valid YAML stops the parse, since what follows it
// cannot be trusted either.
func Parse(r io.Reader) (*Parsed, error) {
	dec := yaml.NewDecoder(r)
	var all []*yaml.Node
	for d := 1; ; d++ {
		var node yaml.Node
		err := dec.Decode(&node)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("openslo: YAML document %d: %w", d, err)
		}
		all = append(all, objects(&node)...)
	}
	// SLI and DataSource objects are read first, so that an SLO finds
	// the indicator it refers to wherever it stands in the file.
	refs := readRefs(all)
	out := &Parsed{}
	for i, obj := range all {
		out.add(i+1, obj, refs)
	}
	return out, nil
}

// objects are the objects a YAML document holds: itself, or the items of
// the list it is.
func objects(node *yaml.Node) []*yaml.Node {
	if node.Kind == yaml.DocumentNode && len(node.Content) == 1 {
		node = node.Content[0]
	}
	switch {
	case node.Kind == yaml.SequenceNode:
		return node.Content
	case node.Kind == yaml.ScalarNode && node.Tag == "!!null", node.Kind == 0:
		return nil // an empty document between two separators
	}
	return []*yaml.Node{node}
}

// add sorts one object into the SLOs, the refused SLOs, or the others.
func (out *Parsed) add(n int, obj *yaml.Node, refs refs) {
	var doc document
	if err := obj.Decode(&doc); err != nil {
		out.Skipped = append(out.Skipped, Skipped{Document: n, Name: fmt.Sprintf("(object %d)", n), Reason: "not an OpenSLO object: " + err.Error()})
		return
	}
	skip := Skipped{Document: n, Kind: doc.Kind, Name: nameOf(doc, n)}
	if doc.Kind != "SLO" {
		skip.Reason = fmt.Sprintf("kind %q is not an SLO", doc.Kind)
		if doc.Kind == "" {
			skip.Reason = "no kind"
		}
		out.Other = append(out.Other, skip)
		return
	}
	slos, why := convert(doc, refs)
	if why != "" {
		skip.Reason = why
		out.Skipped = append(out.Skipped, skip)
		return
	}
	out.SLOs = append(out.SLOs, slos...)
}

// ParseBytes is Parse over a byte slice.
func ParseBytes(b []byte) (*Parsed, error) { return Parse(bytes.NewReader(b)) }

func nameOf(doc document, n int) string {
	if doc.Metadata.Name != "" {
		return doc.Metadata.Name
	}
	return fmt.Sprintf("(object %d)", n)
}

// convert turns one SLO document into amends SLOs, or says why it cannot.
// An SLO with several objectives (thresholds of one indicator) becomes one
// amends SLO per objective, named after the objective.
func convert(doc document, refs refs) ([]SLO, string) {
	switch {
	case doc.APIVersion != "openslo/v1":
		return nil, fmt.Sprintf("apiVersion %q is not openslo/v1", doc.APIVersion)
	case doc.Metadata.Name == "":
		return nil, "metadata.name is missing"
	}
	objs := doc.Spec.Objectives
	if len(objs) == 0 {
		return nil, "no objectives"
	}
	for _, o := range objs {
		if o.CompositeWeight != nil || o.Indicator != nil || o.IndicatorRef != "" {
			return nil, "composite SLO: amends keeps one indicator per SLO"
		}
	}
	w, why := readWindow(doc.Spec.TimeWindow)
	if why != "" {
		return nil, why
	}
	sli := refs.indicatorOf(doc.Spec)
	var out []SLO
	for i, o := range objs {
		target, why := objectiveTarget(o)
		if why != "" {
			return nil, why
		}
		in := models.SLOInput{
			Name: doc.Metadata.Name, DisplayName: doc.Metadata.DisplayName, Description: strings.TrimSpace(doc.Spec.Description),
			Target: target, WindowDays: w.days, BudgetingMethod: doc.Spec.BudgetingMethod,
			CalendarDuration: w.calendar, CalendarStart: w.start, CalendarTimeZone: w.zone, SLI: sli,
		}
		if len(objs) > 1 {
			in.Name, in.DisplayName = objectiveNames(doc, o, i)
		}
		out = append(out, SLO{Input: in, Window: w.label})
	}
	return out, ""
}

// objectiveNames names one objective of several: the SLO's name and the
// objective's (or its place), "checkout-latency-fast" or
// "checkout-latency-2".
func objectiveNames(doc document, o objective, i int) (string, string) {
	suffix := strconv.Itoa(i + 1)
	if o.DisplayName != "" {
		suffix = slug(o.DisplayName)
	}
	display := doc.Metadata.DisplayName
	if display == "" {
		display = doc.Metadata.Name
	}
	label := o.DisplayName
	if label == "" {
		label = "objective " + suffix
	}
	return doc.Metadata.Name + "-" + suffix, display + " (" + label + ")"
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// objectiveTarget reads an objective's target, as a ratio or a percent.
func objectiveTarget(o objective) (float64, string) {
	switch {
	case o.Target != nil:
		return *o.Target, ""
	case o.TargetPercent != nil:
		// 99.9 / 100 is 0.9990000000000001 in floating point: keep the
		// figure the file wrote.
		return math.Round(*o.TargetPercent*1e8) / 1e10, ""
	}
	return 0, "objective has neither target nor targetPercent"
}

// window is a time window as amends keeps it.
type window struct {
	days                  int
	calendar, start, zone string // empty for a rolling window
	label                 string
}

// readWindow reads the window: its length in whole days, and for a
// calendar-aligned one its period, start and time zone, which must exist
// so that the SLO means what it says.
func readWindow(ws []timeWindow) (window, string) {
	if len(ws) != 1 {
		return window{}, fmt.Sprintf("%d time windows: want exactly one", len(ws))
	}
	w := ws[0]
	days, err := durationDays(w.Duration)
	if err != nil {
		return window{}, fmt.Sprintf("timeWindow.duration: %v", err)
	}
	if w.Calendar == nil {
		return window{days: days, label: "rolling " + w.Duration}, ""
	}
	if _, _, err := models.ParseCalendarDuration(w.Duration); err != nil {
		return window{}, fmt.Sprintf("timeWindow.duration: %q is not a calendar period (d, w, M, Q or Y)", w.Duration)
	}
	tz := w.Calendar.TimeZone
	if tz == "" {
		tz = "UTC"
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return window{}, fmt.Sprintf("timeWindow.calendar.timeZone: unknown time zone %q", tz)
	}
	start := strings.TrimSpace(w.Calendar.StartTime)
	if start == "" {
		start = "2000-01-01 00:00:00"
	}
	if _, err := models.ParseCalendarStart(start, loc); err != nil {
		return window{}, fmt.Sprintf("timeWindow.calendar.startTime: %q %v", start, err)
	}
	return window{days: days, calendar: w.Duration, start: start, zone: tz,
		label: fmt.Sprintf("calendar %s from %s in %s", w.Duration, start, tz)}, ""
}

// daysPerUnit gives the length of OpenSLO duration units in days; a month
// is counted as 30 days and a quarter as 90, so a budget stays comparable
// from one month to the next.
var daysPerUnit = map[string]float64{
	"m": 1.0 / 1440, "h": 1.0 / 24, "d": 1, "w": 7, "M": 30, "Q": 90, "Y": 365,
}

func durationDays(s string) (int, error) {
	s = strings.TrimSpace(s)
	if len(s) < 2 {
		return 0, fmt.Errorf("%q is not a duration such as 28d, 4w or 1M", s)
	}
	unit, num := s[len(s)-1:], s[:len(s)-1]
	per, ok := daysPerUnit[unit]
	n, err := strconv.Atoi(num)
	if !ok || err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a duration such as 28d, 4w or 1M", s)
	}
	days := float64(n) * per
	if days != float64(int(days)) || days < 1 || days > 366 {
		return 0, fmt.Errorf("%q is not a whole number of days from 1 to 366", s)
	}
	return int(days), nil
}
