// Package openslo reads customer SLOs from OpenSLO v1 YAML. Every document
// that cannot become an amends SLO is reported by name with the reason, so
// that an import never drops anything silently.
package openslo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/amendsdev/amends/models"
)

// Skipped is a document that was read but cannot be imported.
type Skipped struct {
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// SLO is one importable SLO with a note on how its window was read.
type SLO struct {
	Input  models.SLOInput `json:"input"`
	Window string          `json:"window"`
}

// Parsed is everything a file held.
type Parsed struct {
	SLOs    []SLO     `json:"slos"`
	Skipped []Skipped `json:"skipped"`
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

// Parse reads every YAML document of r. A document that is not valid YAML
// stops the parse, since what follows it cannot be trusted either.
func Parse(r io.Reader) (*Parsed, error) {
	dec := yaml.NewDecoder(r)
	out := &Parsed{}
	for n := 1; ; n++ {
		var doc document
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("openslo: document %d: %w", n, err)
		}
		if doc.Kind == "" && doc.APIVersion == "" && doc.Metadata.Name == "" {
			continue // an empty document between two separators
		}
		slo, why := convert(doc)
		if why != "" {
			out.Skipped = append(out.Skipped, Skipped{Kind: doc.Kind, Name: nameOf(doc, n), Reason: why})
			continue
		}
		out.SLOs = append(out.SLOs, slo)
	}
}

// ParseBytes is Parse over a byte slice.
func ParseBytes(b []byte) (*Parsed, error) { return Parse(bytes.NewReader(b)) }

func nameOf(doc document, n int) string {
	if doc.Metadata.Name != "" {
		return doc.Metadata.Name
	}
	return fmt.Sprintf("(document %d)", n)
}

// convert turns one document into an SLO, or says why it cannot.
func convert(doc document) (SLO, string) {
	switch {
	case doc.Kind != "SLO":
		return SLO{}, fmt.Sprintf("kind %q is not an SLO", doc.Kind)
	case doc.APIVersion != "openslo/v1":
		return SLO{}, fmt.Sprintf("apiVersion %q is not openslo/v1", doc.APIVersion)
	case doc.Metadata.Name == "":
		return SLO{}, "metadata.name is missing"
	}
	target, why := objectiveTarget(doc.Spec.Objectives)
	if why != "" {
		return SLO{}, why
	}
	days, window, why := windowDays(doc.Spec.TimeWindow)
	if why != "" {
		return SLO{}, why
	}
	in := models.SLOInput{
		Name: doc.Metadata.Name, DisplayName: doc.Metadata.DisplayName, Description: strings.TrimSpace(doc.Spec.Description),
		Target: target, WindowDays: days, BudgetingMethod: doc.Spec.BudgetingMethod,
	}
	return SLO{Input: in, Window: window}, ""
}

// objectiveTarget reads the one objective an amends SLO has. Composite SLOs
// (objectives weighted over several indicators) have no single target.
func objectiveTarget(objs []objective) (float64, string) {
	if len(objs) == 0 {
		return 0, "no objectives"
	}
	for _, o := range objs {
		if o.CompositeWeight != nil || o.Indicator != nil || o.IndicatorRef != "" {
			return 0, "composite SLO: amends keeps one target per SLO"
		}
	}
	if len(objs) > 1 {
		return 0, fmt.Sprintf("%d objectives: amends keeps one target per SLO", len(objs))
	}
	o := objs[0]
	switch {
	case o.Target != nil:
		return *o.Target, ""
	case o.TargetPercent != nil:
		return *o.TargetPercent / 100, ""
	}
	return 0, "objective has neither target nor targetPercent"
}

// windowDays reads the window as whole days. A calendar window keeps its
// length; its time zone must exist so that the SLO means what it says.
func windowDays(ws []timeWindow) (int, string, string) {
	if len(ws) != 1 {
		return 0, "", fmt.Sprintf("%d time windows: want exactly one", len(ws))
	}
	w := ws[0]
	days, err := durationDays(w.Duration)
	if err != nil {
		return 0, "", fmt.Sprintf("timeWindow.duration: %v", err)
	}
	if w.Calendar == nil {
		return days, "rolling " + w.Duration, ""
	}
	tz := w.Calendar.TimeZone
	if tz == "" {
		tz = "UTC"
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return 0, "", fmt.Sprintf("timeWindow.calendar.timeZone: unknown time zone %q", tz)
	}
	return days, fmt.Sprintf("calendar %s in %s", w.Duration, tz), ""
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
