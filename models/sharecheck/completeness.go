package sharecheck

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Word counts under which a section is too thin to explain anything.
const (
	minImpactWords    = 8
	minCauseWords     = 15
	minNextStepsWords = 8
)

// Points: the six required items make 90, the four bonus items share 10.
const (
	requiredPoints = 15
	bonusPoints    = 10
)

// CompletenessInput is the customer-facing part of a postmortem. The
// internal fields are never scored (customers do not see them); they only
// point the author at material to reuse in a hint.
type CompletenessInput struct {
	ExternalSummary            string
	ExternalImpact             string
	ExternalCause              string
	ExternalNextSteps          string
	StartedAt                  *time.Time
	ResolvedAt                 *time.Time
	CustomerVisibleActionItems int
	WhatWentWrong              string
	Lessons                    string
}

// Criterion is one item of the guideline. Hint says what the check looks
// for, so an author knows how to satisfy it.
type Criterion struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	OK    bool   `json:"ok"`
	Hint  string `json:"hint"`
}

// CompletenessResult scores a customer postmortem: Score is 0-100, Missing
// lists the keys of the required items that are not there.
type CompletenessResult struct {
	Score    int         `json:"score"`
	Required []Criterion `json:"required"`
	Bonus    []Criterion `json:"bonus"`
	Missing  []string    `json:"missing"`
}

var (
	affectedRe = regexp.MustCompile(`(?i)\b(?:customers?|users?|requests?|accounts?|orders?|payments?|api|dashboards?|console|log ?in|sign[- ]?in|regions?|services?|emails?|messages?|uploads?|downloads?|pages?|checkout|jobs?|webhooks?|traffic)\b`)
	causalRe   = regexp.MustCompile(`(?i)\b(?:because|caused|causing|due to|led to|leading to|resulted in|resulting in|as a result|result of|triggered|triggering|which meant|meaning that|consequently|therefore)\b`)
	lessonRe   = regexp.MustCompile(`(?i)\b(?:learn(?:ed|t|ing)?|lessons?|going forward|in (?:the )?future|from now on|realis(?:ed|e)|realiz(?:ed|e)|showed us|taught us|takeaways?|next time)\b`)
	techRe     = regexp.MustCompile(`(?i)\b(?:database|dns|certificates?|tls|ssl|load balancers?|cdn|cache|queue|network|storage|kubernetes|deploy(?:ment)?|configuration|servers?|cluster|replicas?|replication|disks?|memory|routers?|firewall|proxy)\b`)
	fiveWhysRe = regexp.MustCompile(`(?i)\b(?:five|5) whys\b`)
	humanRe    = regexp.MustCompile(`(?i)\b(?:team|teamwork|together|engineers?|responders?|on-call|coincid\w*|worked|effort|overnight|around the clock)\b`)
	othersRe   = regexp.MustCompile(`(?i)\b(?:if you (?:run|use|operate|rely)|we recommend|others|anyone|advice|you can|you may want|check your)\b`)
)

// Completeness checks a customer postmortem against the guideline for
// postmortem communication: start and end time, who or what was impacted,
// what went wrong and why, what is being done, and lessons learned are
// required; technologies, five whys, human elements and lessons for others
// are a bonus.
func Completeness(in CompletenessInput) CompletenessResult {
	all := strings.Join([]string{in.ExternalSummary, in.ExternalImpact, in.ExternalCause, in.ExternalNextSteps}, "\n")
	causes := len(causalRe.FindAllString(in.ExternalCause, -1))
	r := CompletenessResult{
		Required: []Criterion{
			{"start_time", "Start time", in.StartedAt != nil,
				"The incident's start time is set."},
			{"end_time", "End time", in.ResolvedAt != nil && (in.StartedAt == nil || !in.ResolvedAt.Before(*in.StartedAt)),
				"The resolution time is set and is not before the start time."},
			{"impact", "Who or what was impacted", words(in.ExternalImpact) >= minImpactWords && affectedRe.MatchString(in.ExternalImpact),
				fmt.Sprintf("The customer impact has at least %d words and names who or what was affected (customers, requests, a region, a feature).", minImpactWords)},
			{"root_cause", "What went wrong, and why", words(in.ExternalCause) >= minCauseWords && causes > 0,
				fmt.Sprintf("The customer cause has at least %d words and explains the why with causal wording (because, due to, led to, triggered).", minCauseWords) +
					reuse(in.WhatWentWrong, "what went wrong")},
			{"next_steps", "What is being done", words(in.ExternalNextSteps) >= minNextStepsWords && in.CustomerVisibleActionItems > 0,
				fmt.Sprintf("The next steps have at least %d words and at least one customer-visible action item tracks them.", minNextStepsWords)},
			{"lessons", "Lessons learned", lessonRe.MatchString(all),
				"The customer text says what was learned (learned, lesson, going forward, in future, from now on)." + reuse(in.Lessons, "lessons")},
		},
		Bonus: []Criterion{
			{"technologies", "Technologies involved", techRe.MatchString(all),
				"The text names the technology involved in plain terms (database, DNS, certificate, network, deployment)."},
			{"five_whys", "Five whys", causes >= 3 || fiveWhysRe.MatchString(all),
				"The cause follows the chain of whys: three or more causal links, or an explicit five whys."},
			{"human_elements", "Human elements", humanRe.MatchString(all),
				"The text tells the human side: the team, the responders, coincidences, the effort it took."},
			{"others_learn", "What others can learn", othersRe.MatchString(all),
				"The text offers something others can use (we recommend, if you run, check your)."},
		},
	}
	bonus := 0
	for _, c := range r.Required {
		if c.OK {
			r.Score += requiredPoints
		} else {
			r.Missing = append(r.Missing, c.Key)
		}
	}
	for _, c := range r.Bonus {
		if c.OK {
			bonus++
		}
	}
	r.Score += bonusPoints * bonus / len(r.Bonus)
	return r
}

func words(s string) int { return len(strings.Fields(s)) }

// reuse points at an internal field the author can summarise from.
func reuse(internal, name string) string {
	if strings.TrimSpace(internal) == "" {
		return ""
	}
	return fmt.Sprintf(" The internal %q section has notes to start from.", name)
}
